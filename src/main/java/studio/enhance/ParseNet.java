package studio.enhance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import studio.nn.Layers;
import studio.nn.Params;
import studio.nn.ReflectionPad;
import studio.nn.ScopedForward;
import studio.weights.Checkpoints;
import studio.weights.StateDict;

/**
 * facexlib's ParseNet face parser ({@link studio.weights.Checkpoint#PARSENET}, built as
 * {@code ParseNet(in_size=512, out_size=512, parsing_ch=19)}): 4 residual down-blocks, 10 residual
 * body blocks at 1/16 size, 4 residual up-blocks (nearest ×2), and a 19-class parsing head. Convs
 * use reflection padding, batch norm (evaluation) and leaky ReLU 0.2. Fully convolutional: any
 * input side divisible by 16.
 */
public final class ParseNet implements AutoCloseable {
    public static final int CLASSES = 19;
    private static final int DOWN = 4, BODY = 10, UP = 4, BASE = 64;
    private static final double BN_EPS = 1e-5, SLOPE = 0.2;

    private final NDManager manager;
    private final ConvLayer first, maskHead, imageHead;
    private final ResidualBlock[] encoder = new ResidualBlock[DOWN],
            body = new ResidualBlock[BODY],
            decoder = new ResidualBlock[UP];

    private static int clip(int c) {
        return Math.max(32, Math.min(c, 256));
    }

    /** Every key and shape of the state dict, from the architecture. */
    public static Map<String, long[]> expectedShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        conv(m, "encoder.0", BASE, 3, false);
        int head = BASE;
        for (int i = 0; i < DOWN; i++) {
            block(m, "encoder." + (i + 1), clip(head), clip(head * 2), true);
            head *= 2;
        }
        for (int i = 0; i < BODY; i++) block(m, "body." + i, clip(head), clip(head), false);
        for (int i = 0; i < UP; i++) {
            block(m, "decoder." + i, clip(head), clip(head / 2), true);
            head /= 2;
        }
        conv(m, "out_img_conv", 3, clip(head), false);
        conv(m, "out_mask_conv", CLASSES, clip(head), false);
        return m;
    }

    private static void conv(Map<String, long[]> m, String k, int out, int in, boolean norm) {
        m.put(k + ".conv2d.weight", new long[] {out, in, 3, 3});
        if (!norm) {
            m.put(k + ".conv2d.bias", new long[] {out});
            return;
        }
        for (String s : new String[] {"weight", "bias", "running_mean", "running_var"})
            m.put(k + ".norm.norm." + s, new long[] {out});
        m.put(k + ".norm.norm.num_batches_tracked", new long[] {});
    }

    private static void block(Map<String, long[]> m, String k, int in, int out, boolean shortcut) {
        if (shortcut) conv(m, k + ".shortcut_func", out, in, false);
        conv(m, k + ".conv1", out, in, true);
        conv(m, k + ".conv2", out, out, true);
    }

    public static ParseNet load(Path file, NDManager parent) {
        try (StateDict dict = Checkpoints.open(file)) {
            return new ParseNet(dict, parent);
        }
    }

    public ParseNet(StateDict dict, NDManager parent) {
        Checkpoints.validate(dict, expectedShapes(), "ParseNet (facexlib face parser)", true);
        manager = parent.newSubManager();
        try {
            Params p = new Params(dict, manager);
            first = new ConvLayer(p.sub("encoder.0"), 1, false, false, false);
            for (int i = 0; i < DOWN; i++) encoder[i] = new ResidualBlock(p.sub("encoder." + (i + 1)), Scale.DOWN);
            for (int i = 0; i < BODY; i++) body[i] = new ResidualBlock(p.sub("body." + i), Scale.NONE);
            for (int i = 0; i < UP; i++) decoder[i] = new ResidualBlock(p.sub("decoder." + i), Scale.UP);
            imageHead = new ConvLayer(p.sub("out_img_conv"), 1, false, false, false);
            maskHead = new ConvLayer(p.sub("out_mask_conv"), 1, false, false, false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Parsing logits (b, 19, h, w) of faces (b, 3, h, w) RGB in [-1, 1]. */
    public NDArray parse(NDArray x) {
        return forward(x, false);
    }

    /** The auxiliary image head's output (b, 3, h, w); only the parsing is used for masks. */
    public NDArray image(NDArray x) {
        return forward(x, true);
    }

    private NDArray forward(NDArray x, boolean imageOut) {
        NDArray feat = first.apply(x);
        for (ResidualBlock b : encoder) feat = replace(feat, b.apply(feat));
        NDArray encoded = feat;
        NDArray y = encoded;
        for (ResidualBlock b : body) y = y == encoded ? b.apply(y) : replace(y, b.apply(y));
        NDArray bodyOut = y;
        feat = ScopedForward.keep(() -> encoded.add(bodyOut), encoded, bodyOut);
        encoded.close();
        bodyOut.close();
        for (ResidualBlock b : decoder) feat = replace(feat, b.apply(feat));
        NDArray out = (imageOut ? imageHead : maskHead).apply(feat);
        feat.close();
        return out;
    }

    private static NDArray replace(NDArray old, NDArray successor) {
        old.close();
        return successor;
    }

    @Override
    public void close() {
        manager.close();
    }

    private enum Scale {
        NONE,
        DOWN,
        UP
    }

    /** facexlib's ConvLayer: [nearest ×2] → reflection pad → conv (stride) → [batch norm] → [leaky ReLU]. */
    private static final class ConvLayer {
        final NDArray weight, bias;
        final NDArray normScale, normShift; // evaluation batch norm folded to y·scale + shift, (1, C, 1, 1)
        final int stride;
        final boolean upsample, relu;

        ConvLayer(Params p, int stride, boolean upsample, boolean norm, boolean relu) {
            weight = p.get("conv2d.weight");
            bias = norm ? null : p.get("conv2d.bias");
            if (norm) {
                Params n = p.sub("norm.norm");
                long c = weight.getShape().get(0);
                NDArray scale =
                        n.get("weight").div(n.get("running_var").add(BN_EPS).sqrt());
                normScale = scale.reshape(1, c, 1, 1);
                normShift = n.get("bias").sub(n.get("running_mean").mul(scale)).reshape(1, c, 1, 1);
            } else {
                normScale = null;
                normShift = null;
            }
            this.stride = stride;
            this.upsample = upsample;
            this.relu = relu;
        }

        NDArray apply(NDArray x) {
            return ScopedForward.keep(
                    () -> {
                        NDArray y = upsample
                                ? Layers.interpolate(
                                        x,
                                        new long[] {
                                            x.getShape().get(2) * 2,
                                            x.getShape().get(3) * 2
                                        },
                                        0,
                                        false)
                                : x;
                        y = Layers.conv(ReflectionPad.pad2d(y, 1), weight, bias, stride, 0, 1, 1);
                        if (normScale != null) y = y.mul(normScale).add(normShift);
                        return relu ? Layers.leakyRelu(y, SLOPE) : y;
                    },
                    x);
        }
    }

    /** facexlib's ResidualBlock: shortcut (identity, or a plain ConvLayer when the size or width changes) + two ConvLayers. */
    private static final class ResidualBlock {
        final ConvLayer shortcut, conv1, conv2;

        ResidualBlock(Params p, Scale scale) {
            shortcut = scale == Scale.NONE
                    ? null
                    : new ConvLayer(
                            p.sub("shortcut_func"), scale == Scale.DOWN ? 2 : 1, scale == Scale.UP, false, false);
            conv1 = new ConvLayer(p.sub("conv1"), 1, scale == Scale.UP, true, true);
            conv2 = new ConvLayer(p.sub("conv2"), scale == Scale.DOWN ? 2 : 1, false, true, false);
        }

        NDArray apply(NDArray x) {
            return ScopedForward.keep(
                    () -> {
                        NDArray identity = shortcut == null ? x : shortcut.apply(x);
                        return identity.add(conv2.apply(conv1.apply(x)));
                    },
                    x);
        }
    }
}
