package studio.nn;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TransposedConv#blockUpsample} against nn.ConvTranspose2d with kernel = stride (2×2, and ResUnet's 2×1). */
class TransposedConvLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"tconv2x2", "tconv2x1"})
    void matchesConvTranspose2d(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            fx.check(name, TransposedConv.blockUpsample(fx.in(m, name, "x"), p.get("weight"), p.get("bias")));
        }
    }
}
