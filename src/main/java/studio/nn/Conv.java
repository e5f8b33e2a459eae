package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A convolution (1-D, 2-D or 3-D by the weight's rank) whose weights are loaded once and kept as
 * NDArrays, with optional load-time fusion: a following eval-mode BatchNorm folded into the
 * weights, or several convolutions over the same input concatenated into one (one larger GEMM
 * instead of several small ones).
 */
public final class Conv {
    private final NDArray weight;
    private final NDArray bias;
    private final int stride, padding, dilation, groups;

    public Conv(NDArray weight, NDArray bias, int stride, int padding, int dilation, int groups) {
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** {@code p.weight} and optional {@code p.bias}, stride 1. */
    public static Conv load(Params p, int padding) {
        return load(p, 1, padding, 1);
    }

    public static Conv load(Params p, int stride, int padding, int dilation) {
        return new Conv(p.get("weight"), p.has("bias") ? p.get("bias") : null, stride, padding, dilation, 1);
    }

    /** A conv followed by eval-mode BatchNorm, as one conv: W' = W * scale, b' = b * scale + shift. */
    public static Conv withBatchNorm(Params conv, Params bn, double eps, int padding) {
        NDManager m = conv.manager();
        FoldedBatchNorm norm = new FoldedBatchNorm(bn, eps, m);
        long[] shape = conv.shape("weight");
        float[] w = conv.dict().floats(conv.key("weight"));
        float[] b = conv.has("bias") ? conv.dict().floats(conv.key("bias")) : new float[(int) shape[0]];
        int out = (int) shape[0];
        int per = w.length / out;
        float[] scale = norm.scale(), shift = norm.shift();
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < per; j++) w[o * per + j] *= scale[o];
            b[o] = b[o] * scale[o] + shift[o];
        }
        return new Conv(m.create(w, new Shape(shape)), m.create(b), 1, padding, 1, 1);
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
        Conv fused = new Conv(NDArrays.concat(ws, 0), NDArrays.concat(bs, 0), convs[0].stride, convs[0].padding, convs[0].dilation,
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
        return Layers.conv(x, weight, bias, stride, padding, dilation, groups);
    }
}
