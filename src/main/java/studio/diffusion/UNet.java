package studio.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import studio.nn.Attention;
import studio.nn.Conv;
import studio.nn.Dense;
import studio.nn.GroupNorm;
import studio.nn.LayerNormLayer;
import studio.nn.Layers;
import studio.nn.NearestUpsample;
import studio.nn.Params;
import studio.nn.ScopedForward;
import studio.weights.StateDict;

/**
 * The Stable Diffusion 1.x noise predictor (CompVis {@code openaimodel.UNetModel} with the
 * {@code v1-inference.yaml} settings: 320 channels, multipliers 1,2,4,4, two res blocks per level,
 * spatial transformers at the first three levels, 8 heads, 768-wide text context), read from the
 * single-file key layout {@code model.diffusion_model.*}. Predicts the noise eps(x_t, t, context).
 */
public final class UNet implements AutoCloseable {
    public static final String PREFIX = "model.diffusion_model.";
    private static final int MODEL_CHANNELS = 320, TIME_DIM = 1280, HEADS = 8, CONTEXT_DIM = 768;
    private static final int[] CHANNEL_MULT = {1, 2, 4, 4};
    private static final int RES_BLOCKS = 2;
    private static final int ATTENTION_LEVELS = 3; // attention_resolutions 4,2,1 = downsampling factors of levels 0..2

    /** One layer of a TimestepEmbedSequential: sees the time embedding and the text context. */
    private interface Layer {
        NDArray forward(NDArray h, NDArray emb, NDArray context);
    }

    private final NDManager manager;
    private final Params loader;
    private final Dense time0, time2;
    private final List<List<Layer>> inputBlocks = new ArrayList<>();
    private final List<Layer> middleBlock = new ArrayList<>();
    private final List<List<Layer>> outputBlocks = new ArrayList<>();
    private final GroupNorm outNorm;
    private final Conv outConv;

    private UNet(StateDict dict, NDManager parent) {
        this.manager = parent.newSubManager();
        this.loader = new Params(dict, manager, PREFIX);
        Params p = loader;
        time0 = Dense.load(p.sub("time_embed.0"), MODEL_CHANNELS, TIME_DIM, true);
        time2 = Dense.load(p.sub("time_embed.2"), TIME_DIM, TIME_DIM, true);

        List<Integer> skipChannels = new ArrayList<>();
        Conv convIn = Conv.load2d(p.sub("input_blocks.0.0"), 4, MODEL_CHANNELS, 3, 1, 1);
        inputBlocks.add(List.of((h, e, c) -> convIn.apply(h)));
        skipChannels.add(MODEL_CHANNELS);
        int ch = MODEL_CHANNELS, block = 1;
        for (int level = 0; level < CHANNEL_MULT.length; level++) {
            for (int r = 0; r < RES_BLOCKS; r++) {
                int out = MODEL_CHANNELS * CHANNEL_MULT[level];
                List<Layer> layers = new ArrayList<>();
                layers.add(new ResBlock(p.sub("input_blocks", block, 0), ch, out));
                ch = out;
                if (level < ATTENTION_LEVELS) layers.add(new SpatialTransformer(p.sub("input_blocks", block, 1), ch));
                inputBlocks.add(layers);
                skipChannels.add(ch);
                block++;
            }
            if (level != CHANNEL_MULT.length - 1) {
                Conv down = Conv.load2d(p.sub("input_blocks", block, 0, "op"), ch, ch, 3, 2, 1);
                inputBlocks.add(List.of((h, e, c) -> down.apply(h)));
                skipChannels.add(ch);
                block++;
            }
        }
        middleBlock.add(new ResBlock(p.sub("middle_block.0"), ch, ch));
        middleBlock.add(new SpatialTransformer(p.sub("middle_block.1"), ch));
        middleBlock.add(new ResBlock(p.sub("middle_block.2"), ch, ch));

        block = 0;
        for (int level = CHANNEL_MULT.length - 1; level >= 0; level--) {
            for (int i = 0; i <= RES_BLOCKS; i++) {
                int skip = skipChannels.removeLast();
                int out = MODEL_CHANNELS * CHANNEL_MULT[level];
                List<Layer> layers = new ArrayList<>();
                layers.add(new ResBlock(p.sub("output_blocks", block, 0), ch + skip, out));
                ch = out;
                if (level < ATTENTION_LEVELS) layers.add(new SpatialTransformer(p.sub("output_blocks", block, 1), ch));
                if (level > 0 && i == RES_BLOCKS) {
                    Conv up = Conv.load2d(p.sub("output_blocks", block, layers.size(), "conv"), ch, ch, 3, 1, 1);
                    layers.add((h, e, c) -> up.apply(NearestUpsample.scale(h, 2)));
                }
                outputBlocks.add(layers);
                block++;
            }
        }
        outNorm = GroupNorm.load(p.sub("out.0"), ch, 32, 1e-5);
        outConv = Conv.load2d(p.sub("out.2"), ch, 4, 3, 1, 1);
    }

    /** Loads every UNet tensor of a single-file checkpoint into arrays owned by a child of {@code parent}. */
    public static UNet load(StateDict dict, NDManager parent) {
        return new UNet(dict, parent);
    }

    /** The checkpoint keys this network read (all of them under {@link #PREFIX} for a complete checkpoint). */
    public Set<String> loadedKeys() {
        return loader.loadedKeys();
    }

    /**
     * Noise prediction for latents {@code x} (B×4×H/8×W/8), timesteps {@code t} (B, float: the
     * k-diffusion samplers pass fractional steps) and text context (B×77×768). The result is attached
     * to {@code x}'s manager; intermediate activations are freed block by block.
     */
    public NDArray forward(NDArray x, float[] t, NDArray context) {
        NDManager out = x.getManager();
        try (NDManager m = out.newSubManager()) {
            NDArray emb = time2.forward(Layers.silu(time0.forward(timestepEmbedding(m, t, MODEL_CHANNELS))));
            NDArray h = x.duplicate();
            h.attach(m);
            NDArray ctx = context.duplicate(); // so the per-layer k/v projections are freed with this step
            ctx.attach(m);
            Deque<NDArray> skips = new ArrayDeque<>();
            for (List<Layer> layers : inputBlocks) {
                h = apply(layers, h, emb, ctx);
                skips.push(h);
            }
            h = apply(middleBlock, h, emb, ctx);
            for (List<Layer> layers : outputBlocks) {
                NDArray cat = NDArrays.concat(new NDList(h, skips.pop()), 1);
                h = apply(layers, cat, emb, ctx);
            }
            final NDArray last = h;
            NDArray y = ScopedForward.run(last, a -> outConv.apply(Layers.silu(outNorm.forward(a))));
            y.attach(out);
            return y;
        }
    }

    private static NDArray apply(List<Layer> layers, NDArray h, NDArray emb, NDArray context) {
        for (Layer l : layers) {
            NDArray in = h;
            h = ScopedForward.run(in, a -> l.forward(a, emb, context));
        }
        return h;
    }

    /**
     * Sinusoidal timestep embedding as openaimodel computes it in float32: cos first, then sin,
     * frequencies exp(-ln(10000) * i / half).
     */
    static NDArray timestepEmbedding(NDManager m, float[] t, int dim) {
        int half = dim / 2;
        float[] out = new float[t.length * dim];
        for (int b = 0; b < t.length; b++) {
            for (int i = 0; i < half; i++) {
                float freq = (float) Math.exp(-Math.log(10000.0) * (float) i / half);
                float arg = t[b] * freq;
                out[b * dim + i] = (float) Math.cos(arg);
                out[b * dim + half + i] = (float) Math.sin(arg);
            }
        }
        return m.create(out, new Shape(t.length, dim));
    }

    /** openaimodel ResBlock (no scale-shift norm): GroupNorm-SiLU-conv, + time embedding, GroupNorm-SiLU-conv, skip. */
    private static final class ResBlock implements Layer {
        private final GroupNorm norm1, norm2;
        private final Conv conv1, conv2, skip;
        private final Dense embProj;

        ResBlock(Params p, int in, int out) {
            norm1 = GroupNorm.load(p.sub("in_layers.0"), in, 32, 1e-5);
            conv1 = Conv.load2d(p.sub("in_layers.2"), in, out, 3, 1, 1);
            embProj = Dense.load(p.sub("emb_layers.1"), TIME_DIM, out, true);
            norm2 = GroupNorm.load(p.sub("out_layers.0"), out, 32, 1e-5);
            conv2 = Conv.load2d(p.sub("out_layers.3"), out, out, 3, 1, 1);
            skip = in == out ? null : Conv.load2d(p.sub("skip_connection"), in, out, 1, 1, 0);
        }

        @Override
        public NDArray forward(NDArray x, NDArray emb, NDArray context) {
            NDArray h = conv1.apply(Layers.silu(norm1.forward(x)));
            NDArray e = embProj.forward(Layers.silu(emb));
            h = h.add(e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1));
            h = conv2.apply(Layers.silu(norm2.forward(h)));
            return (skip == null ? x : skip.apply(x)).add(h);
        }
    }

    /** attention.SpatialTransformer with one BasicTransformerBlock (self-attention, cross-attention, GEGLU feed-forward). */
    private static final class SpatialTransformer implements Layer {
        private final GroupNorm norm;
        private final Conv projIn, projOut;
        private final LayerNormLayer norm1, norm2, norm3;
        private final CrossAttention attn1, attn2;
        private final Dense ffIn, ffOut;

        SpatialTransformer(Params p, int ch) {
            norm = GroupNorm.load(p.sub("norm"), ch, 32, 1e-6);
            projIn = Conv.load2d(p.sub("proj_in"), ch, ch, 1, 1, 0);
            Params b = p.sub("transformer_blocks.0");
            attn1 = new CrossAttention(b.sub("attn1"), ch, ch);
            attn2 = new CrossAttention(b.sub("attn2"), ch, CONTEXT_DIM);
            ffIn = Dense.load(b.sub("ff.net.0.proj"), ch, ch * 8L, true);
            ffOut = Dense.load(b.sub("ff.net.2"), ch * 4L, ch, true);
            norm1 = LayerNormLayer.load(b.sub("norm1"), ch, 1e-5);
            norm2 = LayerNormLayer.load(b.sub("norm2"), ch, 1e-5);
            norm3 = LayerNormLayer.load(b.sub("norm3"), ch, 1e-5);
            projOut = Conv.load2d(p.sub("proj_out"), ch, ch, 1, 1, 0);
        }

        @Override
        public NDArray forward(NDArray x, NDArray emb, NDArray context) {
            Shape s = x.getShape();
            long b = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3);
            NDArray h = projIn.apply(norm.forward(x)).reshape(b, c, hw).transpose(0, 2, 1);
            h = h.add(attn1.forward(norm1.forward(h), null));
            h = h.add(attn2.forward(norm2.forward(h), context));
            NDArray[] ab = ffIn.forward(norm3.forward(h)).split(2, 2).toArray(new NDArray[0]);
            h = h.add(ffOut.forward(ab[0].mul(gelu(ab[1]))));
            h = h.transpose(0, 2, 1).reshape(s);
            return projOut.apply(h).add(x);
        }
    }

    /** attention.CrossAttention: q from x, k and v from the context (x itself for self-attention). */
    private static final class CrossAttention {
        private final Dense q, k, v, out;
        private final double scale;

        CrossAttention(Params p, int dim, int contextDim) {
            q = Dense.load(p.sub("to_q"), dim, dim, false);
            k = Dense.load(p.sub("to_k"), contextDim, dim, false);
            v = Dense.load(p.sub("to_v"), contextDim, dim, false);
            out = Dense.load(p.sub("to_out.0"), dim, dim, true);
            scale = 1.0 / Math.sqrt(dim / (double) HEADS);
        }

        NDArray forward(NDArray x, NDArray context) {
            NDArray ctx = context == null ? x : context;
            NDArray o = Attention.attend(
                    Attention.splitHeads(q.forward(x), HEADS),
                    Attention.splitHeads(k.forward(ctx), HEADS),
                    Attention.splitHeads(v.forward(ctx), HEADS),
                    scale);
            return out.forward(Attention.mergeHeads(o, HEADS));
        }
    }

    /** Exact (erf) GELU, as F.gelu computes it. */
    static NDArray gelu(NDArray x) {
        return JniUtils.gelu((PtNDArray) x);
    }

    @Override
    public void close() {
        manager.close();
    }
}
