package studio.enhance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import studio.nn.Conv;
import studio.nn.Layers;
import studio.nn.ModulatedConv2d;
import studio.nn.Params;
import studio.nn.Resample;
import studio.nn.ScopedForward;
import studio.weights.Checkpoints;
import studio.weights.StateDict;

/**
 * GFPGAN v1.4, the "clean" architecture (TencentARC/GFPGAN {@code GFPGANv1Clean} with out_size 512,
 * channel multiplier 2, different w per layer, input_is_latent, sft_half): a U-Net encoder whose
 * bottleneck gives one style vector per decoder layer and whose up-path gives SFT scale/shift maps,
 * and a StyleGAN2 decoder (modulated convolutions) whose half channels are modulated by those maps.
 *
 * <p>Noise: by default the decoder adds the stored {@code stylegan_decoder.noises.noise{i}} buffers
 * (the reference's {@code randomize_noise=False}), so the same face gives the same output on every
 * frame; the reference's inference draws fresh noise per call, which flickers in video.
 */
public final class Gfpgan implements FaceNetwork {
    public static final int SIZE = 512;
    private static final int STYLE_DIM = 512;
    private static final int LEVELS = 7; // 8, 16, ..., 512
    private static final int NUM_LATENT = 16;
    private static final int NUM_NOISES = 15;
    private static final int MLP_LAYERS = 8;
    private static final double SLOPE = 0.2;
    private static final float SQRT2 = (float) Math.sqrt(2);

    private final NDManager manager;
    private final boolean freshNoise;
    private final Conv bodyFirst, finalConv;
    private final ResBlock[] down = new ResBlock[LEVELS], up = new ResBlock[LEVELS];
    private final Conv[][] conditionScale = new Conv[LEVELS][], conditionShift = new Conv[LEVELS][];
    private final NDArray finalLinearWeight, finalLinearBias;
    private final NDArray constantInput;
    private final StyleConv styleConv1;
    private final StyleConv[] styleConvs = new StyleConv[2 * LEVELS];
    private final ToRgb toRgb1;
    private final ToRgb[] toRgbs = new ToRgb[LEVELS];

    /** U-Net channels by resolution 4, 8, ..., 512 (StyleGAN2 channels × 0.5). */
    private static int unetChannels(int res) {
        return decoderChannels(res) / 2;
    }

    /** StyleGAN2 decoder channels by resolution (channel multiplier 2). */
    private static int decoderChannels(int res) {
        return switch (res) {
            case 4, 8, 16, 32, 64 -> 512;
            case 128 -> 256;
            case 256 -> 128;
            case 512 -> 64;
            default -> throw new IllegalArgumentException("resolution " + res);
        };
    }

    private static int res(int level) {
        return 8 << level;
    }

    /**
     * Every key and shape of the v1.4 state dict (as inside {@code params_ema}), derived from the
     * architecture; a checkpoint is checked against it before anything is loaded.
     */
    public static Map<String, long[]> expectedShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        conv(m, "conv_body_first", unetChannels(512), 3, 1, true);
        int in = unetChannels(512);
        for (int i = 0; i < LEVELS; i++) {
            int o = unetChannels(512 >> (i + 1));
            resBlock(m, "conv_body_down." + i, in, o);
            in = o;
        }
        conv(m, "final_conv", unetChannels(4), in, 3, true);
        in = unetChannels(4);
        for (int i = 0; i < LEVELS; i++) {
            int o = unetChannels(res(i));
            resBlock(m, "conv_body_up." + i, in, o);
            in = o;
        }
        for (int i = 0; i < LEVELS; i++) conv(m, "toRGB." + i, 3, unetChannels(res(i)), 1, true);
        m.put("final_linear.weight", new long[] {(long) NUM_LATENT * STYLE_DIM, unetChannels(4) * 16L});
        m.put("final_linear.bias", new long[] {(long) NUM_LATENT * STYLE_DIM});
        for (int i = 0; i < MLP_LAYERS; i++) {
            m.put("stylegan_decoder.style_mlp." + (2 * i + 1) + ".weight", new long[] {STYLE_DIM, STYLE_DIM});
            m.put("stylegan_decoder.style_mlp." + (2 * i + 1) + ".bias", new long[] {STYLE_DIM});
        }
        String d = "stylegan_decoder.";
        m.put(d + "constant_input.weight", new long[] {1, decoderChannels(4), 4, 4});
        styleConv(m, d + "style_conv1", decoderChannels(4), decoderChannels(4), 3);
        modulated(m, d + "to_rgb1", decoderChannels(4), 3, 1);
        m.put(d + "to_rgb1.bias", new long[] {1, 3, 1, 1});
        in = decoderChannels(4);
        for (int i = 0; i < LEVELS; i++) {
            int o = decoderChannels(res(i));
            styleConv(m, d + "style_convs." + (2 * i), in, o, 3);
            styleConv(m, d + "style_convs." + (2 * i + 1), o, o, 3);
            in = o;
        }
        for (int i = 0; i < LEVELS; i++) {
            int c = decoderChannels(res(i));
            modulated(m, d + "to_rgbs." + i, c, 3, 1);
            m.put(d + "to_rgbs." + i + ".bias", new long[] {1, 3, 1, 1});
        }
        for (int i = 0; i < NUM_NOISES; i++) {
            long r = 1L << ((i + 5) / 2);
            m.put(d + "noises.noise" + i, new long[] {1, 1, r, r});
        }
        for (String kind : new String[] {"condition_scale.", "condition_shift."}) {
            for (int i = 0; i < LEVELS; i++) {
                int c = unetChannels(res(i));
                conv(m, kind + i + ".0", c, c, 3, true);
                conv(m, kind + i + ".2", c, c, 3, true); // sft_half: as many maps as channels
            }
        }
        return m;
    }

    private static void conv(Map<String, long[]> m, String k, int out, int in, int kernel, boolean bias) {
        m.put(k + ".weight", new long[] {out, in, kernel, kernel});
        if (bias) m.put(k + ".bias", new long[] {out});
    }

    private static void resBlock(Map<String, long[]> m, String k, int in, int out) {
        conv(m, k + ".conv1", in, in, 3, true);
        conv(m, k + ".conv2", out, in, 3, true);
        conv(m, k + ".skip", out, in, 1, false);
    }

    private static void modulated(Map<String, long[]> m, String k, int in, int out, int kernel) {
        m.put(k + ".modulated_conv.weight", new long[] {1, out, in, kernel, kernel});
        m.put(k + ".modulated_conv.modulation.weight", new long[] {in, STYLE_DIM});
        m.put(k + ".modulated_conv.modulation.bias", new long[] {in});
    }

    private static void styleConv(Map<String, long[]> m, String k, int in, int out, int kernel) {
        m.put(k + ".weight", new long[] {1});
        m.put(k + ".bias", new long[] {1, out, 1, 1});
        modulated(m, k, in, out, kernel);
    }

    /** Fails naming the checkpoint and every missing or mis-shaped tensor, before any weight is read. */
    public static void validate(StateDict dict) {
        Checkpoints.validate(dict, expectedShapes(), "GFPGAN v1.4 (clean architecture)", true);
    }

    /**
     * The network's state dict inside a checkpoint: under {@code params_ema} as in the official
     * release (GFPGANer prefers it), else under {@code params}, else the keys as they are (a
     * converted {@code .safetensors}).
     */
    public static StateDict weightsOf(StateDict checkpoint) {
        for (String prefix : new String[] {"params_ema.", "params."})
            if (checkpoint.contains(prefix + "final_linear.weight")) return checkpoint.under(prefix);
        return checkpoint;
    }

    /** Loads the released GFPGAN v1.4 checkpoint (or a {@code .safetensors} conversion) with the stored noise. */
    public static Gfpgan load(Path file, NDManager parent) {
        try (StateDict checkpoint = Checkpoints.open(file)) {
            return new Gfpgan(weightsOf(checkpoint), parent);
        }
    }

    /** Loads the network from a state dict keyed as inside {@code params_ema}, with the stored noise. */
    public Gfpgan(StateDict dict, NDManager parent) {
        this(dict, parent, false);
    }

    /** @param freshNoise draw new noise on every call as the reference's inference does (flickers in video) */
    public Gfpgan(StateDict dict, NDManager parent, boolean freshNoise) {
        validate(dict);
        this.freshNoise = freshNoise;
        this.manager = parent.newSubManager();
        try {
            Params p = new Params(dict, manager);
            bodyFirst = Conv.load(p.sub("conv_body_first"), 0);
            for (int i = 0; i < LEVELS; i++) down[i] = new ResBlock(p.sub("conv_body_down." + i), false);
            finalConv = Conv.load(p.sub("final_conv"), 1);
            for (int i = 0; i < LEVELS; i++) {
                up[i] = new ResBlock(p.sub("conv_body_up." + i), true);
                conditionScale[i] = new Conv[] {
                    Conv.load(p.sub("condition_scale." + i + ".0"), 1),
                    Conv.load(p.sub("condition_scale." + i + ".2"), 1)
                };
                conditionShift[i] = new Conv[] {
                    Conv.load(p.sub("condition_shift." + i + ".0"), 1),
                    Conv.load(p.sub("condition_shift." + i + ".2"), 1)
                };
            }
            finalLinearWeight = p.get("final_linear.weight");
            finalLinearBias = p.get("final_linear.bias");
            Params d = p.sub("stylegan_decoder");
            constantInput = d.get("constant_input.weight");
            styleConv1 = new StyleConv(d, "style_conv1", decoderChannels(4), decoderChannels(4), false, 0);
            toRgb1 = new ToRgb(d.sub("to_rgb1"), decoderChannels(4), false);
            int in = decoderChannels(4);
            for (int i = 0; i < LEVELS; i++) {
                int o = decoderChannels(res(i));
                styleConvs[2 * i] = new StyleConv(d, "style_convs." + (2 * i), in, o, true, 2 * i + 1);
                styleConvs[2 * i + 1] = new StyleConv(d, "style_convs." + (2 * i + 1), o, o, false, 2 * i + 2);
                toRgbs[i] = new ToRgb(d.sub("to_rgbs." + i), o, true);
                in = o;
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public NDArray restore(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != SIZE || s.get(3) != SIZE)
            throw new IllegalArgumentException("GFPGAN expects (b, 3, 512, 512), got " + s);
        long b = s.get(0);

        // encoder
        NDArray feat = ScopedForward.keep(() -> Layers.leakyRelu(bodyFirst.apply(x), SLOPE), x);
        List<NDArray> skips = new ArrayList<>();
        for (ResBlock block : down) {
            feat = block.apply(feat); // kept: the up-path adds it back
            skips.addFirst(feat);
        }
        NDArray bottom = feat;
        feat = ScopedForward.keep(() -> Layers.leakyRelu(finalConv.apply(bottom), SLOPE), bottom);
        NDArray code = feat;
        NDArray latent = ScopedForward.keep(
                () -> Linear.linear(code.reshape(b, -1), finalLinearWeight, finalLinearBias)
                        .singletonOrThrow()
                        .reshape(b, NUM_LATENT, STYLE_DIM),
                code);

        // up-path: SFT scale and shift for each decoder level
        NDArray[] scale = new NDArray[LEVELS], shift = new NDArray[LEVELS];
        for (int i = 0; i < LEVELS; i++) {
            NDArray previous = feat, skip = skips.get(i);
            feat = up[i].apply(ScopedForward.keep(() -> previous.add(skip), previous, skip));
            previous.close();
            skip.close();
            scale[i] = sft(conditionScale[i], feat);
            shift[i] = sft(conditionShift[i], feat);
        }
        feat.close();

        // StyleGAN2 decoder with SFT on half of the channels
        NDArray out =
                x.getManager().zeros(new Shape(b, decoderChannels(4), 4, 4)).add(constantInput);
        out = replace(out, styleConv1.apply(out, latent.get(":, 0")));
        NDArray rgb = toRgb1.apply(out, latent.get(":, 1"), null);
        for (int i = 0; i < LEVELS; i++) {
            int l = 2 * i + 1;
            out = replace(out, styleConvs[2 * i].apply(out, latent.get(":, " + l)));
            NDArray features = out, sc = scale[i], sh = shift[i];
            out = replace(
                    out,
                    ScopedForward.keep(
                            () -> {
                                long half = features.getShape().get(1) / 2;
                                NDList parts = features.split(new long[] {half}, 1);
                                return NDArrays.concat(
                                        new NDList(
                                                parts.get(0),
                                                parts.get(1).mul(sc).add(sh)),
                                        1);
                            },
                            features,
                            sc,
                            sh));
            sc.close();
            sh.close();
            out = replace(out, styleConvs[2 * i + 1].apply(out, latent.get(":, " + (l + 1))));
            rgb = replace(rgb, toRgbs[i].apply(out, latent.get(":, " + (l + 2)), rgb));
        }
        out.close();
        latent.close();
        return rgb;
    }

    /** Closes a superseded activation, returns its successor. */
    private static NDArray replace(NDArray old, NDArray successor) {
        old.close();
        return successor;
    }

    /** One SFT condition branch: conv, leaky ReLU, conv. */
    private static NDArray sft(Conv[] branch, NDArray feat) {
        return ScopedForward.keep(() -> branch[1].apply(Layers.leakyRelu(branch[0].apply(feat), SLOPE)), feat);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** GFPGAN's residual block with bilinear down- or upsampling by 2. */
    private static final class ResBlock {
        final Conv conv1, conv2, skip;
        final boolean upsample;

        ResBlock(Params p, boolean upsample) {
            conv1 = Conv.load(p.sub("conv1"), 1);
            conv2 = Conv.load(p.sub("conv2"), 1);
            skip = Conv.load(p.sub("skip"), 0);
            this.upsample = upsample;
        }

        NDArray apply(NDArray x) {
            return ScopedForward.keep(
                    () -> {
                        NDArray out = resample(Layers.leakyRelu(conv1.apply(x), SLOPE));
                        out = Layers.leakyRelu(conv2.apply(out), SLOPE);
                        return out.add(skip.apply(resample(x)));
                    },
                    x);
        }

        NDArray resample(NDArray x) {
            return upsample ? Resample.upsample2x(x) : Resample.downsample2x(x);
        }
    }

    /** Modulated 3×3 conv × √2, plus scaled noise, bias, leaky ReLU. */
    private final class StyleConv {
        final ModulatedConv2d conv;
        final NDArray noiseWeight, bias;
        final NDArray storedNoise; // weight × noise buffer, computed once

        StyleConv(Params decoder, String name, int in, int out, boolean upsample, int noiseIndex) {
            Params p = decoder.sub(name);
            conv = new ModulatedConv2d(p.sub("modulated_conv"), in, out, 3, STYLE_DIM, true, upsample);
            noiseWeight = p.get("weight");
            bias = p.get("bias");
            storedNoise = decoder.get("noises.noise" + noiseIndex).mul(noiseWeight);
        }

        NDArray apply(NDArray x, NDArray style) {
            return ScopedForward.keep(
                    () -> {
                        NDArray out = conv.forward(x, style).mul(SQRT2);
                        Shape s = out.getShape();
                        NDArray noise = freshNoise
                                ? out.getManager()
                                        .randomNormal(new Shape(s.get(0), 1, s.get(2), s.get(3)))
                                        .mul(noiseWeight)
                                : storedNoise;
                        return Layers.leakyRelu(out.add(noise).add(bias), SLOPE);
                    },
                    x,
                    style);
        }
    }

    /** Modulated 1×1 conv to RGB (no demodulation) plus bias, added to the upsampled previous RGB. */
    private static final class ToRgb {
        final ModulatedConv2d conv;
        final NDArray bias;
        final boolean upsample;

        ToRgb(Params p, int in, boolean upsample) {
            conv = new ModulatedConv2d(p.sub("modulated_conv"), in, 3, 1, STYLE_DIM, false, false);
            bias = p.get("bias");
            this.upsample = upsample;
        }

        NDArray apply(NDArray x, NDArray style, NDArray skip) {
            return ScopedForward.keep(
                    () -> {
                        NDArray out = conv.forward(x, style).add(bias);
                        if (skip == null) return out;
                        return out.add(upsample ? Resample.upsample2x(skip) : skip);
                    },
                    skip == null ? new NDArray[] {x, style} : new NDArray[] {x, style, skip});
        }
    }
}
