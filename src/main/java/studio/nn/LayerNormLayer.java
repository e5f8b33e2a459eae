package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** nn.LayerNorm over the last axis with its weights loaded once. */
public record LayerNormLayer(NDArray weight, NDArray bias, double eps) {
    public static LayerNormLayer load(Params p, long dim, double eps) {
        return new LayerNormLayer(p.get("weight", dim), p.get("bias", dim), eps);
    }

    public NDArray forward(NDArray x) {
        return JniUtils.layerNorm(
                (PtNDArray) x, new Shape(weight.getShape().get(0)), (PtNDArray) weight, (PtNDArray) bias, eps);
    }
}
