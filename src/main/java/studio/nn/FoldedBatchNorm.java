package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * BatchNorm in evaluation mode reduced to a per-channel affine map y = x * scale + shift, with
 * scale = gamma / sqrt(running_var + eps) and shift = beta - running_mean * scale, computed once
 * at load time so inference does one fused multiply-add pass (or none, once folded into a conv).
 * Used on its own where it cannot be folded (e.g. before a ReLU and a convolution).
 */
public final class FoldedBatchNorm {
    private final float[] scale;
    private final float[] shift;
    /** Shaped (1, C, 1, 1), ready for the usual N x C x H x W input. */
    private final NDArray scaleArray;

    private final NDArray shiftArray;

    /** Reads {@code weight}, {@code bias}, {@code running_mean}, {@code running_var} of the stored sizes. */
    public FoldedBatchNorm(Params p, double eps, NDManager manager) {
        this(
                p.dict().floats(p.key("weight")),
                p.dict().floats(p.key("bias")),
                p.dict().floats(p.key("running_mean")),
                p.dict().floats(p.key("running_var")),
                eps,
                manager);
    }

    /** An nn.BatchNorm of {@code channels} channels, each tensor shape-checked. */
    public static FoldedBatchNorm load(Params bn, long channels, double eps) {
        return new FoldedBatchNorm(
                bn.floats("weight", channels),
                bn.floats("bias", channels),
                bn.floats("running_mean", channels),
                bn.floats("running_var", channels),
                eps,
                bn.manager());
    }

    private FoldedBatchNorm(float[] gamma, float[] beta, float[] mean, float[] var, double eps, NDManager manager) {
        int c = gamma.length;
        scale = new float[c];
        shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = gamma[i] / Math.sqrt(var[i] + eps);
            scale[i] = (float) s;
            shift[i] = (float) (beta[i] - mean[i] * s);
        }
        scaleArray = manager.create(scale, new Shape(1, c, 1, 1));
        shiftArray = manager.create(shift, new Shape(1, c, 1, 1));
    }

    public int channels() {
        return scale.length;
    }

    /** Applies the affine map to an (N, C, ...) array. */
    public NDArray apply(NDArray x) {
        int rank = x.getShape().dimension();
        if (rank == 4) return x.mul(scaleArray).add(shiftArray);
        long[] b = Layers.channelShape(x, scale.length);
        return x.mul(Layers.view(scaleArray, x, b)).add(Layers.view(shiftArray, x, b));
    }

    float[] scale() {
        return scale;
    }

    float[] shift() {
        return shift;
    }
}
