package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Attention} with {@link Dense} projections, wired as UNet's CrossAttention wires them, against
 * Stable Diffusion's CrossAttention (self and cross); and the masked form against CLIP's causal
 * softmax(q·scale kᵀ + mask) v.
 */
class AttentionLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"attn_self", "attn_cross"})
    void crossAttention(String name) {
        JsonObject s = fx.settings(name);
        int dim = s.get("dim").getAsInt(),
                contextDim = s.get("context_dim").getAsInt(),
                heads = s.get("heads").getAsInt();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            Dense q = Dense.load(p.sub("to_q"), dim, dim, false);
            Dense k = Dense.load(p.sub("to_k"), contextDim, dim, false);
            Dense v = Dense.load(p.sub("to_v"), contextDim, dim, false);
            Dense out = Dense.load(p.sub("to_out.0"), dim, dim, true);
            double scale = 1.0 / Math.sqrt(dim / (double) heads);
            NDArray x = fx.in(m, name, "x");
            NDArray ctx = name.equals("attn_cross") ? fx.in(m, name, "context") : x;
            NDArray o = Attention.attend(
                    Attention.splitHeads(q.forward(x), heads),
                    Attention.splitHeads(k.forward(ctx), heads),
                    Attention.splitHeads(v.forward(ctx), heads),
                    scale);
            fx.check(name, out.forward(Attention.mergeHeads(o, heads)));
        }
    }

    @Test
    void causalMask() {
        String name = "attn_causal";
        double scale = fx.settings(name).get("scale").getAsDouble();
        try (NDManager m = NDManager.newBaseManager()) {
            fx.check(
                    name,
                    Attention.attend(
                            fx.in(m, name, "q"),
                            fx.in(m, name, "k"),
                            fx.in(m, name, "v"),
                            scale,
                            fx.in(m, name, "mask")));
        }
    }
}
