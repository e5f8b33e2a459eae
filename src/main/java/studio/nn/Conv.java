package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A convolution (1-D, 2-D or 3-D by the weight's rank) whose weights are loaded once and kept as
 * NDArrays, with optional load-time fusion: a following eval-mode BatchNorm folded into the
 * weights, or several convolutions over the same input concatenated into one (one larger GEMM
 * instead of several small ones).
 */
public final class Conv {
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride, padding, dilation;
    private final int groups;
    private final ReducedWeights reduced;

    /** The same stride, padding and dilation on every spatial axis. */
    public Conv(NDArray weight, NDArray bias, int stride, int padding, int dilation, int groups) {
        this(weight, bias, repeat(weight, stride), repeat(weight, padding), repeat(weight, dilation), groups);
    }

    private Conv(NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.reduced = new ReducedWeights(weight, bias);
    }

    /** {@code p.weight} and optional {@code p.bias}, stride 1. */
    public static Conv load(Params p, int padding) {
        return load(p, 1, padding, 1);
    }

    public static Conv load(Params p, int stride, int padding, int dilation) {
        return new Conv(p.get("weight"), p.has("bias") ? p.get("bias") : null, stride, padding, dilation, 1);
    }

    /** nn.Conv2d with a square kernel: {@code weight} [out, in, k, k] and {@code bias} [out], shape-checked. */
    public static Conv load2d(Params p, long in, long out, int kernel, int stride, int padding) {
        return load2d(p, null, out, in, kernel, kernel, true, stride, stride, padding, padding);
    }

    /**
     * nn.Conv2d of known geometry (shape-checked), optionally followed by an eval-mode nn.BatchNorm2d
     * (eps 1e-5) folded into its weight and bias; stride and padding may differ per axis.
     *
     * @param conv weights of the convolution ({@code weight}, and {@code bias} when {@code hasBias})
     * @param bn   weights of the batch norm after it, or null
     */
    public static Conv load2d(
            Params conv,
            Params bn,
            long out,
            long in,
            int kh,
            int kw,
            boolean hasBias,
            int strideH,
            int strideW,
            int padH,
            int padW) {
        long[] shape = {out, in, kh, kw};
        Shape stride = new Shape(strideH, strideW), padding = new Shape(padH, padW), dilation = new Shape(1, 1);
        NDManager m = conv.manager();
        if (bn == null)
            return new Conv(
                    conv.get("weight", shape), hasBias ? conv.get("bias", out) : null, stride, padding, dilation, 1);
        float[] w = conv.floats("weight", shape);
        float[] b = hasBias ? conv.floats("bias", out) : new float[(int) out];
        fold(w, b, FoldedBatchNorm.load(bn, out, 1e-5));
        return new Conv(m.create(w, new Shape(shape)), m.create(b), stride, padding, dilation, 1);
    }

    /** Square-kernel {@link #load2d(Params, Params, long, long, int, int, boolean, int, int, int, int)}. */
    public static Conv load2d(Params conv, Params bn, long out, long in, int k, boolean hasBias, int stride, int pad) {
        return load2d(conv, bn, out, in, k, k, hasBias, stride, stride, pad, pad);
    }

    /** A conv followed by eval-mode BatchNorm, as one conv: W' = W * scale, b' = b * scale + shift. */
    public static Conv withBatchNorm(Params conv, Params bn, double eps, int padding) {
        NDManager m = conv.manager();
        long[] shape = conv.shape("weight");
        float[] w = conv.dict().floats(conv.key("weight"));
        float[] b = conv.has("bias") ? conv.dict().floats(conv.key("bias")) : new float[(int) shape[0]];
        fold(w, b, new FoldedBatchNorm(bn, eps, m));
        return new Conv(m.create(w, new Shape(shape)), m.create(b), 1, padding, 1, 1);
    }

    /** Folds {@code norm} into the weight [out, ...] and bias [out] of the conv before it, in place. */
    private static void fold(float[] w, float[] b, FoldedBatchNorm norm) {
        int out = b.length;
        int per = w.length / out;
        float[] scale = norm.scale(), shift = norm.shift();
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < per; j++) w[o * per + j] *= scale[o];
            b[o] = b[o] * scale[o] + shift[o];
        }
    }

    /**
     * Convolutions with the same input, kernel geometry and settings (and all with a bias), as one
     * (outputs concatenated along channels). Consumes the parts: their arrays are closed.
     */
    public static Conv concat(Conv... convs) {
        NDList ws = new NDList(), bs = new NDList();
        for (Conv c : convs) {
            ws.add(c.weight);
            bs.add(c.bias);
        }
        Conv fused = new Conv(
                NDArrays.concat(ws, 0),
                NDArrays.concat(bs, 0),
                convs[0].stride,
                convs[0].padding,
                convs[0].dilation,
                convs[0].groups);
        ws.close();
        bs.close();
        return fused;
    }

    /** The same conv with {@code delta} added to every bias (e.g. SPADE's 1 + gamma); consumes this conv's bias. */
    public Conv withBiasOffset(float delta) {
        NDArray shifted = bias.add(delta);
        bias.close();
        return new Conv(weight, shifted, stride, padding, dilation, groups);
    }

    public long outChannels() {
        return weight.getShape().get(0);
    }

    public NDArray apply(NDArray x) {
        if (Autocast.reduced()) {
            NDArray[] wb = reduced.current();
            return Autocast.convCast(x, wb[0], wb[1], stride, padding, dilation, groups);
        }
        return JniUtils.convolution(
                (PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias, stride, padding, dilation, groups);
    }

    private static Shape repeat(NDArray weight, int v) {
        return Layers.repeat(v, (int) weight.getShape().dimension() - 2);
    }
}
