package studio.nn;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModulatedConv2d} against GFPGAN's clean ModulatedConv2d (modulation linear, weight × style,
 * demodulation with eps 1e-8, bilinear 2× up-sampling before the conv, batch as conv groups): a
 * StyleConv's 3×3 with and without up-sampling, and a ToRGB's 1×1 without demodulation.
 */
class ModulatedConv2dLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"modconv", "modconv_up", "modconv_rgb"})
    void matchesGfpgan(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            var conv = load(m, name);
            fx.check(name, conv.forward(fx.in(m, name, "x"), fx.in(m, name, "style")));
        }
    }

    /**
     * Under bf16 the batch (2 here) runs as one conv per sample instead of one grouped conv; the
     * result stays within bf16 rounding of GFPGAN's (8 significant bits: 2e-2 of the range after a
     * few dozen products), and each sample keeps its own style.
     */
    @ParameterizedTest
    @ValueSource(strings = {"modconv", "modconv_up", "modconv_rgb"})
    void bf16BatchMatchesGfpganWithinRounding(String name) {
        try (NDManager m = NDManager.newBaseManager();
                Autocast.Scope cast = Autocast.enter(Compute.Precision.BF16)) {
            var conv = load(m, name);
            fx.check(name + " bf16", name + ".out", conv.forward(fx.in(m, name, "x"), fx.in(m, name, "style")), 2e-2);
        }
    }

    private ModulatedConv2d load(NDManager m, String name) {
        JsonObject s = fx.settings(name);
        return new ModulatedConv2d(
                fx.params(m, name),
                s.get("in").getAsInt(),
                s.get("out").getAsInt(),
                s.get("kernel").getAsInt(),
                s.get("style_dim").getAsInt(),
                s.get("demodulate").getAsBoolean(),
                s.get("upsample").getAsBoolean());
    }
}
