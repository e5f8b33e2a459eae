package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An evaluation-mode nn.BatchNorm2d on its own (e.g. before a ReLU and a convolution, where it
 * cannot be folded): precomputed per-channel scale and shift.
 */
public final class AffineBatchNorm {
    private final NDArray scale;
    private final NDArray shift;

    private AffineBatchNorm(NDArray scale, NDArray shift) {
        this.scale = scale;
        this.shift = shift;
    }

    public static AffineBatchNorm load(Params bn, long channels) {
        float[] gamma = bn.floats("weight", channels), beta = bn.floats("bias", channels);
        float[] mean = bn.floats("running_mean", channels), var = bn.floats("running_var", channels);
        float[] scale = new float[(int) channels], shift = new float[(int) channels];
        for (int c = 0; c < channels; c++) {
            double s = gamma[c] / Math.sqrt(var[c] + 1e-5);
            scale[c] = (float) s;
            shift[c] = (float) (beta[c] - mean[c] * s);
        }
        NDManager m = bn.manager();
        return new AffineBatchNorm(m.create(scale).reshape(1, channels, 1, 1), m.create(shift).reshape(1, channels, 1, 1));
    }

    /** N x C x H x W. */
    public NDArray forward(NDArray x) {
        return x.mul(scale).add(shift);
    }
}
