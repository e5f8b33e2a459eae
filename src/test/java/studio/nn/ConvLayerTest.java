package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Conv} with an eval-mode BatchNorm folded into it (both loaders), {@link FoldedBatchNorm}
 * on its own, and {@link Conv#concat} with a bias offset (SPADE's gamma/beta pair), against
 * nn.Conv2d/3d → nn.BatchNorm2d/3d.eval().
 */
class ConvLayerTest extends LayerFixtureTest {
    @Test
    void foldedBatchNorm2dBothLoaders() {
        String name = "convbn2d";
        JsonObject s = fx.settings(name);
        double eps = s.get("eps").getAsDouble();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            NDArray x = fx.in(m, name, "x");
            // as DenseMotionNetwork / SpadeGenerator / KeypointDetector load it
            fx.check(
                    name + " withBatchNorm",
                    Conv.withBatchNorm(
                                    p.sub("conv"),
                                    p.sub("bn"),
                                    eps,
                                    s.get("padding").getAsInt())
                            .apply(x));
            // as ResUnet / ParseNet load it (shape-checked, eps 1e-5 built in)
            Conv c = Conv.load2d(
                    p.sub("conv"),
                    p.sub("bn"),
                    s.get("out").getAsLong(),
                    s.get("in").getAsLong(),
                    s.get("kernel").getAsInt(),
                    true,
                    1,
                    s.get("padding").getAsInt());
            fx.check(name + " load2d", c.apply(x));
        }
    }

    @Test
    void foldedBatchNormWithoutConvBiasAndPerAxisGeometry() {
        String name = "convbn2d_nobias";
        JsonObject s = fx.settings(name);
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            Conv c = Conv.load2d(
                    p.sub("conv"),
                    p.sub("bn"),
                    s.get("out").getAsLong(),
                    s.get("in").getAsLong(),
                    s.get("kh").getAsInt(),
                    s.get("kw").getAsInt(),
                    false,
                    s.get("strideH").getAsInt(),
                    s.get("strideW").getAsInt(),
                    s.get("padH").getAsInt(),
                    s.get("padW").getAsInt());
            fx.check(name, c.apply(fx.in(m, name, "x")));
        }
    }

    @Test
    void foldedBatchNorm3d() {
        String name = "convbn3d";
        JsonObject s = fx.settings(name);
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            Conv c = Conv.withBatchNorm(
                    p.sub("conv"),
                    p.sub("bn"),
                    s.get("eps").getAsDouble(),
                    s.get("padding").getAsInt());
            fx.check(name, c.apply(fx.in(m, name, "x")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn2d", "bn3d"})
    void standaloneBatchNorm(String name) {
        JsonObject s = fx.settings(name);
        double eps = s.get("eps").getAsDouble();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            NDArray x = fx.in(m, name, "x");
            fx.check(name + " FoldedBatchNorm(Params)", new FoldedBatchNorm(p, eps, m).apply(x));
            fx.check(
                    name + " FoldedBatchNorm.load",
                    FoldedBatchNorm.load(p, s.get("channels").getAsLong(), eps).apply(x));
            fx.check(name + " Layers.batchNorm", Layers.batchNorm(p, x, eps));
        }
    }

    @Test
    void concatenatedConvsWithBiasOffset() {
        String name = "conv_concat";
        JsonObject s = fx.settings(name);
        int pad = s.get("padding").getAsInt();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            // as SpadeDecoder fuses mlp_gamma (+1) and mlp_beta
            Conv gamma = Conv.load(p.sub("gamma"), pad)
                    .withBiasOffset(s.get("gamma_bias_offset").getAsFloat());
            Conv fused = Conv.concat(gamma, Conv.load(p.sub("beta"), pad));
            fx.check(name, fused.apply(fx.in(m, name, "x")));
        }
    }
}
