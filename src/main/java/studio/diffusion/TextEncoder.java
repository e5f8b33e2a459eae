package studio.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import studio.nn.Attention;
import studio.nn.Dense;
import studio.nn.LayerNormLayer;
import studio.nn.Params;
import studio.nn.ScopedForward;
import studio.weights.StateDict;

/**
 * The CLIP ViT-L/14 text tower SD 1.x conditions on (HF {@code CLIPTextModel} keys under
 * {@code cond_stage_model.transformer.text_model.*}): token + position embeddings, 12 pre-norm
 * transformer layers (12 heads, causal mask, quick-GELU MLP), final layer norm. Prompts go through
 * {@link PromptChunks}: each 77-token chunk is encoded separately, emphasis multiplies the
 * hidden states and the original mean is restored (A1111's "Original" emphasis), chunks are
 * concatenated along the token axis.
 */
public final class TextEncoder implements AutoCloseable {
    public static final String PREFIX = "cond_stage_model.transformer.text_model.";
    public static final int WIDTH = 768, LAYERS = 12, HEADS = 12, TOKENS = 77, VOCAB = 49408;

    private final NDManager manager;
    private final Params loader;
    private final NDArray tokenEmbedding, positionEmbedding, causalMask;
    private final List<Layer> layers = new ArrayList<>();
    private final LayerNormLayer finalNorm;

    private record Layer(
            LayerNormLayer norm1, Dense q, Dense k, Dense v, Dense out, LayerNormLayer norm2, Dense fc1, Dense fc2) {}

    private TextEncoder(StateDict dict, NDManager parent) {
        manager = parent.newSubManager();
        loader = new Params(dict, manager, PREFIX);
        tokenEmbedding = loader.get("embeddings.token_embedding.weight", VOCAB, WIDTH);
        positionEmbedding = loader.get("embeddings.position_embedding.weight", TOKENS, WIDTH);
        for (int i = 0; i < LAYERS; i++) {
            Params p = loader.sub("encoder.layers", i);
            Params a = p.sub("self_attn");
            layers.add(new Layer(
                    LayerNormLayer.load(p.sub("layer_norm1"), WIDTH, 1e-5),
                    Dense.load(a.sub("q_proj"), WIDTH, WIDTH, true),
                    Dense.load(a.sub("k_proj"), WIDTH, WIDTH, true),
                    Dense.load(a.sub("v_proj"), WIDTH, WIDTH, true),
                    Dense.load(a.sub("out_proj"), WIDTH, WIDTH, true),
                    LayerNormLayer.load(p.sub("layer_norm2"), WIDTH, 1e-5),
                    Dense.load(p.sub("mlp.fc1"), WIDTH, 4 * WIDTH, true),
                    Dense.load(p.sub("mlp.fc2"), 4 * WIDTH, WIDTH, true)));
        }
        finalNorm = LayerNormLayer.load(loader.sub("final_layer_norm"), WIDTH, 1e-5);
        float[] mask = new float[TOKENS * TOKENS];
        for (int i = 0; i < TOKENS; i++)
            for (int j = i + 1; j < TOKENS; j++) mask[i * TOKENS + j] = Float.NEGATIVE_INFINITY;
        causalMask = manager.create(mask, new Shape(TOKENS, TOKENS));
    }

    public static TextEncoder load(StateDict dict, NDManager parent) {
        return new TextEncoder(dict, parent);
    }

    public Set<String> loadedKeys() {
        return loader.loadedKeys();
    }

    /**
     * Hidden states of 77-token id sequences (B×77), after {@code clipSkip - 1} layers from the end
     * are skipped (A1111's "Clip skip"; 1 = the last layer) and the final layer norm.
     */
    public NDArray hidden(NDManager m, int[][] ids, int clipSkip) {
        long[] flat = new long[ids.length * TOKENS];
        for (int b = 0; b < ids.length; b++) for (int t = 0; t < TOKENS; t++) flat[b * TOKENS + t] = ids[b][t];
        NDArray idx = m.create(flat, new Shape(ids.length, TOKENS));
        NDArray h = JniUtils.embedding((PtNDArray) idx, (PtNDArray) tokenEmbedding, false);
        h.attach(m);
        h = h.add(positionEmbedding);
        int run = LAYERS - Math.max(0, clipSkip - 1);
        for (int i = 0; i < run; i++) {
            Layer l = layers.get(i);
            NDArray in = h;
            h = ScopedForward.run(in, x -> layer(l, x));
        }
        return finalNorm.forward(h);
    }

    private NDArray layer(Layer l, NDArray x) {
        NDArray y = l.norm1().forward(x);
        NDArray o = Attention.attend(
                Attention.splitHeads(l.q().forward(y), HEADS),
                Attention.splitHeads(l.k().forward(y), HEADS),
                Attention.splitHeads(l.v().forward(y), HEADS),
                1 / Math.sqrt(WIDTH / (double) HEADS),
                causalMask);
        NDArray h = x.add(l.out().forward(Attention.mergeHeads(o, HEADS)));
        NDArray f = l.fc1().forward(l.norm2().forward(h));
        f = f.mul(JniUtils.sigmoid((PtNDArray) f.mul(1.702f))); // quick GELU
        return h.add(l.fc2().forward(f));
    }

    /** A prompt's conditioning (1 × 77·chunks × 768) with A1111 chunking and emphasis. */
    public NDArray encode(NDManager m, String prompt, int clipSkip) {
        return encode(m, PromptChunks.of(prompt, ClipTokenizer.get()), clipSkip);
    }

    public NDArray encode(NDManager m, List<PromptChunks.Chunk> chunks, int clipSkip) {
        NDList parts = new NDList();
        for (PromptChunks.Chunk c : chunks) {
            NDArray z = hidden(m, new int[][] {c.tokens()}, clipSkip);
            NDArray w = m.create(c.weights(), new Shape(1, TOKENS, 1));
            NDArray before = z.mean();
            NDArray weighted = z.mul(w);
            NDArray after = weighted.mean();
            parts.add(weighted.mul(before.div(after)));
        }
        return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
    }

    @Override
    public void close() {
        manager.close();
    }
}
