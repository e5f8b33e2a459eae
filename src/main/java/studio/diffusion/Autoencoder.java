package studio.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import studio.nn.Attention;
import studio.nn.Conv;
import studio.nn.GroupNorm;
import studio.nn.Layers;
import studio.nn.NearestUpsample;
import studio.nn.Params;
import studio.nn.ScopedForward;
import studio.weights.StateDict;

/**
 * The Stable Diffusion 1.x KL autoencoder (CompVis {@code diffusionmodules/model.py} Encoder and
 * Decoder: 128 channels, multipliers 1,2,4,4, two res blocks per level, one attention block in the
 * middle, 4 latent channels) with {@code quant_conv} / {@code post_quant_conv}, read from the
 * single-file layout {@code first_stage_model.*}. Latents are scaled by {@link #SCALE_FACTOR}.
 */
public final class Autoencoder implements AutoCloseable {
    public static final String PREFIX = "first_stage_model.";
    public static final float SCALE_FACTOR = 0.18215f;
    private static final int CH = 128, Z = 4;
    private static final int[] MULT = {1, 2, 4, 4};
    private static final int RES_BLOCKS = 2;

    private interface Block {
        NDArray forward(NDArray x);
    }

    private final NDManager manager;
    private final Params loader;
    private final List<Block> encoder = new ArrayList<>();
    private final List<Block> decoder = new ArrayList<>();
    private final Conv quantConv, postQuantConv;

    private Autoencoder(StateDict dict, NDManager parent, boolean withEncoder) {
        manager = parent.newSubManager();
        loader = new Params(dict, manager, PREFIX);
        if (withEncoder) buildEncoder(loader.sub("encoder"));
        buildDecoder(loader.sub("decoder"));
        quantConv = withEncoder ? Conv.load2d(loader.sub("quant_conv"), 2 * Z, 2 * Z, 1, 1, 0) : null;
        postQuantConv = Conv.load2d(loader.sub("post_quant_conv"), Z, Z, 1, 1, 0);
    }

    /** Encoder and decoder (img2img and inpainting need the encoder). */
    public static Autoencoder load(StateDict dict, NDManager parent) {
        return new Autoencoder(dict, parent, true);
    }

    /** The decoder only (txt2img). */
    public static Autoencoder loadDecoder(StateDict dict, NDManager parent) {
        return new Autoencoder(dict, parent, false);
    }

    public Set<String> loadedKeys() {
        return loader.loadedKeys();
    }

    private void buildEncoder(Params p) {
        Conv convIn = Conv.load2d(p.sub("conv_in"), 3, CH, 3, 1, 1);
        encoder.add(convIn::apply);
        int in = CH;
        for (int level = 0; level < MULT.length; level++) {
            int out = CH * MULT[level];
            for (int b = 0; b < RES_BLOCKS; b++) {
                encoder.add(new ResnetBlock(p.sub("down", level, "block", b), in, out));
                in = out;
            }
            if (level != MULT.length - 1) {
                // Downsample: asymmetric zero padding (right, bottom) then a stride-2 conv without padding.
                Conv conv = Conv.load2d(p.sub("down", level, "downsample", "conv"), in, in, 3, 2, 0);
                encoder.add(x -> conv.apply(x.pad(new Shape(0, 1, 0, 1), 0)));
            }
        }
        addMiddle(encoder, p.sub("mid"), in);
        GroupNorm norm = GroupNorm.load(p.sub("norm_out"), in, 32, 1e-6);
        Conv convOut = Conv.load2d(p.sub("conv_out"), in, 2 * Z, 3, 1, 1);
        encoder.add(x -> convOut.apply(Layers.silu(norm.forward(x))));
    }

    private void buildDecoder(Params p) {
        int in = CH * MULT[MULT.length - 1];
        Conv convIn = Conv.load2d(p.sub("conv_in"), Z, in, 3, 1, 1);
        decoder.add(convIn::apply);
        addMiddle(decoder, p.sub("mid"), in);
        for (int level = MULT.length - 1; level >= 0; level--) {
            int out = CH * MULT[level];
            for (int b = 0; b <= RES_BLOCKS; b++) {
                decoder.add(new ResnetBlock(p.sub("up", level, "block", b), in, out));
                in = out;
            }
            if (level != 0) {
                Conv conv = Conv.load2d(p.sub("up", level, "upsample", "conv"), in, in, 3, 1, 1);
                decoder.add(x -> conv.apply(NearestUpsample.scale(x, 2)));
            }
        }
        GroupNorm norm = GroupNorm.load(p.sub("norm_out"), in, 32, 1e-6);
        Conv convOut = Conv.load2d(p.sub("conv_out"), in, 3, 3, 1, 1);
        decoder.add(x -> convOut.apply(Layers.silu(norm.forward(x))));
    }

    private static void addMiddle(List<Block> blocks, Params p, int ch) {
        blocks.add(new ResnetBlock(p.sub("block_1"), ch, ch));
        blocks.add(new AttnBlock(p.sub("attn_1"), ch));
        blocks.add(new ResnetBlock(p.sub("block_2"), ch, ch));
    }

    /** Encoder moments (mean and log-variance, B×8×H/8×W/8) of images in [-1, 1] (B×3×H×W). */
    public NDArray moments(NDArray image) {
        if (quantConv == null) throw new IllegalStateException("autoencoder loaded without its encoder");
        NDArray h = run(encoder, image);
        NDArray m = quantConv.apply(h);
        h.close();
        return m;
    }

    /** The scaled latent of an image: the posterior mean times {@link #SCALE_FACTOR} (deterministic, as A1111's img2img with the mode). */
    public NDArray encode(NDArray image) {
        NDArray m = moments(image);
        NDArray mean = m.get(":, 0:" + Z).mul(SCALE_FACTOR);
        m.close();
        return mean;
    }

    /** Images in about [-1, 1] (B×3×8h×8w) from scaled latents (B×4×h×w). */
    public NDArray decode(NDArray latent) {
        NDArray z = postQuantConv.apply(latent.div(SCALE_FACTOR));
        NDArray out = run(decoder, z);
        z.close();
        return out;
    }

    private static NDArray run(List<Block> blocks, NDArray x) {
        NDArray h = x;
        for (Block b : blocks) {
            NDArray in = h;
            h = ScopedForward.run(in, b::forward);
            if (in != x) in.close();
        }
        return h;
    }

    /** model.py ResnetBlock without time embedding: GroupNorm-SiLU-conv twice, 1×1 shortcut when widths differ. */
    private static final class ResnetBlock implements Block {
        private final GroupNorm norm1, norm2;
        private final Conv conv1, conv2, shortcut;

        ResnetBlock(Params p, int in, int out) {
            norm1 = GroupNorm.load(p.sub("norm1"), in, 32, 1e-6);
            conv1 = Conv.load2d(p.sub("conv1"), in, out, 3, 1, 1);
            norm2 = GroupNorm.load(p.sub("norm2"), out, 32, 1e-6);
            conv2 = Conv.load2d(p.sub("conv2"), out, out, 3, 1, 1);
            shortcut = in == out ? null : Conv.load2d(p.sub("nin_shortcut"), in, out, 1, 1, 0);
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray h = conv1.apply(Layers.silu(norm1.forward(x)));
            h = conv2.apply(Layers.silu(norm2.forward(h)));
            return (shortcut == null ? x : shortcut.apply(x)).add(h);
        }
    }

    /** model.py AttnBlock: single-head self-attention over pixels with 1×1 conv projections. */
    private static final class AttnBlock implements Block {
        private final GroupNorm norm;
        private final Conv q, k, v, proj;
        private final double scale;

        AttnBlock(Params p, int ch) {
            norm = GroupNorm.load(p.sub("norm"), ch, 32, 1e-6);
            q = Conv.load2d(p.sub("q"), ch, ch, 1, 1, 0);
            k = Conv.load2d(p.sub("k"), ch, ch, 1, 1, 0);
            v = Conv.load2d(p.sub("v"), ch, ch, 1, 1, 0);
            proj = Conv.load2d(p.sub("proj_out"), ch, ch, 1, 1, 0);
            scale = 1.0 / Math.sqrt(ch);
        }

        @Override
        public NDArray forward(NDArray x) {
            Shape s = x.getShape();
            long b = s.get(0), c = s.get(1), hw = s.get(2) * s.get(3);
            NDArray h = norm.forward(x);
            NDArray qs = q.apply(h).reshape(b, c, hw).transpose(0, 2, 1);
            NDArray ks = k.apply(h).reshape(b, c, hw).transpose(0, 2, 1);
            NDArray vs = v.apply(h).reshape(b, c, hw).transpose(0, 2, 1);
            NDArray o = Attention.attend(qs, ks, vs, scale).transpose(0, 2, 1).reshape(s);
            return x.add(proj.apply(o));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
