package studio.nn;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UpsampledConv} against {@code conv3x3(F.interpolate(x, scale_factor=s, mode='nearest'))},
 * and {@link NearestUpsample} / {@link Resample} against F.interpolate.
 */
class UpsampleLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"upconv2", "upconv3"})
    void upsampledConvMatchesConvOfNearestUpsample(String name) {
        JsonObject s = fx.settings(name);
        try (NDManager m = NDManager.newBaseManager()) {
            // as SpadeDecoder builds it: the conv's weights as Java arrays
            var conv = new UpsampledConv(
                    fx.floats(name + ".w.weight"),
                    fx.floats(name + ".w.bias"),
                    s.get("out").getAsLong(),
                    s.get("in").getAsLong(),
                    s.get("factor").getAsInt(),
                    m);
            fx.check(name, conv.apply(fx.in(m, name, "x")));
        }
    }

    @Test
    void nearestUpsample() {
        try (NDManager m = NDManager.newBaseManager()) {
            fx.check(
                    "nearest2",
                    NearestUpsample.scale(
                            fx.in(m, "nearest2", "x"),
                            fx.settings("nearest2").get("factor").getAsInt()));
        }
    }

    @Test
    void bilinearUpAndDown() {
        try (NDManager m = NDManager.newBaseManager()) {
            fx.check("bilinear_up2", Resample.upsample2x(fx.in(m, "bilinear_up2", "x")));
            fx.check("bilinear_down2", Resample.downsample2x(fx.in(m, "bilinear_down2", "x")));
        }
    }
}
