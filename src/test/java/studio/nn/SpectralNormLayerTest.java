package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SpectralNorm} against {@code torch.nn.utils.spectral_norm} in eval mode (u and v moved by a
 * few training steps first): the effective weight {@code weight_orig / (u · (W v))}, and the conv
 * built from it as SpadeDecoder builds it.
 */
class SpectralNormLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"sn3x3", "sn1x1"})
    void effectiveWeightAndConvMatchTorch(String name) {
        int padding = fx.settings(name).get("padding").getAsInt();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            NDArray w = SpectralNorm.weight(p, m);
            fx.check(name + " weight", name + ".ref.weight", w, LayerFixture.TOL);
            Conv conv = new Conv(w, p.has("bias") ? p.get("bias") : null, 1, padding, 1, 1);
            fx.check(name, conv.apply(fx.in(m, name, "x")));
        }
    }
}
