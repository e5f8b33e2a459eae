package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * BatchNorm in evaluation mode reduced to a per-channel affine map y = x * scale + shift, with
 * scale = gamma / sqrt(running_var + eps) and shift = beta - running_mean * scale, computed once
 * at load time so inference does one fused multiply-add pass (or none, once folded into a conv).
 */
public final class FoldedBatchNorm {
    private final float[] scale;
    private final float[] shift;
    private final NDArray scaleArray;
    private final NDArray shiftArray;

    public FoldedBatchNorm(Params p, double eps, NDManager manager) {
        float[] gamma = p.dict().floats(p.key("weight"));
        float[] beta = p.dict().floats(p.key("bias"));
        float[] mean = p.dict().floats(p.key("running_mean"));
        float[] var = p.dict().floats(p.key("running_var"));
        int c = gamma.length;
        scale = new float[c];
        shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = gamma[i] / Math.sqrt(var[i] + eps);
            scale[i] = (float) s;
            shift[i] = (float) (beta[i] - mean[i] * s);
        }
        scaleArray = manager.create(scale);
        shiftArray = manager.create(shift);
    }

    public int channels() {
        return scale.length;
    }

    /** Applies the affine map to an (N, C, ...) array. */
    public NDArray apply(NDArray x) {
        long[] b = new long[(int) x.getShape().dimension()];
        java.util.Arrays.fill(b, 1);
        b[1] = scale.length;
        Shape bs = new Shape(b);
        return x.mul(scaleArray.reshape(bs)).add(shiftArray.reshape(bs));
    }

    float[] scale() {
        return scale;
    }

    float[] shift() {
        return shift;
    }
}
