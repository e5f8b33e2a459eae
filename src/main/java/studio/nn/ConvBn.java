package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An nn.Conv2d, optionally followed by an evaluation-mode nn.BatchNorm2d that is folded into the
 * convolution's weight and bias at load time (one kernel call instead of two per use).
 */
public final class ConvBn {
    private final NDArray weight;
    private final NDArray bias;
    private final int strideH, strideW, padH, padW;

    private ConvBn(NDArray weight, NDArray bias, int strideH, int strideW, int padH, int padW) {
        this.weight = weight;
        this.bias = bias;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
    }

    /**
     * @param conv     weights of the convolution ({@code weight}, and {@code bias} when {@code hasBias})
     * @param bn       weights of the batch norm after it, or null
     */
    public static ConvBn load(Params conv, Params bn, long out, long in, int kh, int kw, boolean hasBias,
                              int strideH, int strideW, int padH, int padW) {
        float[] w = conv.floats("weight", out, in, kh, kw);
        float[] b = hasBias ? conv.floats("bias", out) : new float[(int) out];
        if (bn != null) {
            float[] gamma = bn.floats("weight", out), beta = bn.floats("bias", out);
            float[] mean = bn.floats("running_mean", out), var = bn.floats("running_var", out);
            int per = (int) (in * kh * kw);
            for (int o = 0; o < out; o++) {
                double scale = gamma[o] / Math.sqrt(var[o] + 1e-5);
                for (int i = 0; i < per; i++) w[o * per + i] = (float) (w[o * per + i] * scale);
                b[o] = (float) ((b[o] - mean[o]) * scale + beta[o]);
            }
        }
        NDManager m = conv.manager();
        return new ConvBn(m.create(w, new Shape(out, in, kh, kw)), m.create(b), strideH, strideW, padH, padW);
    }

    /** Square kernel, equal stride and padding on both axes. */
    public static ConvBn load(Params conv, Params bn, long out, long in, int k, boolean hasBias, int stride, int pad) {
        return load(conv, bn, out, in, k, k, hasBias, stride, stride, pad, pad);
    }

    public NDArray forward(NDArray x) {
        return Conv2d.forward(x, weight, bias, strideH, strideW, padH, padW);
    }
}
