package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * nn.GroupNorm (affine) with its weights loaded once. DJL has no group norm, so the statistics come
 * from libtorch's batch norm in training mode over a (1, N*groups, rest) view, which normalises
 * each (sample, group) over its elements with the biased variance, as GroupNorm does, in one
 * native call instead of a chain of element-wise ops.
 */
public record GroupNorm(NDArray weight, NDArray bias, int groups, double eps) {
    public static GroupNorm load(Params p, long channels, int groups, double eps) {
        return new GroupNorm(p.get("weight", channels), p.get("bias", channels), groups, eps);
    }

    public NDArray forward(NDArray x) {
        long[] shape = Layers.channelShape(x, weight.getShape().get(0));
        return normalize(x, groups, eps).mul(Layers.view(weight, x, shape)).add(Layers.view(bias, x, shape));
    }

    /** The normalisation without the affine part. */
    public static NDArray normalize(NDArray x, int groups, double eps) {
        Shape s = x.getShape();
        long rows = s.get(0) * groups;
        NDManager m = x.getManager();
        // Throw-away running statistics: training mode updates them, the output does not use them.
        try (NDArray rm = m.zeros(new Shape(rows));
                NDArray rv = m.ones(new Shape(rows));
                NDArray one = m.ones(new Shape(rows));
                NDArray zero = m.zeros(new Shape(rows))) {
            NDArray v = x.reshape(1, rows, -1);
            NDArray y = JniUtils.batchNorm(
                    (PtNDArray) v, (PtNDArray) rm, (PtNDArray) rv, (PtNDArray) one, (PtNDArray) zero, true, 0.0, eps);
            return y.reshape(s);
        }
    }
}
