package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** nn.Conv2d with its weights loaded once (square kernel, same stride/padding on both axes). */
public record Conv2d(NDArray weight, NDArray bias, int stride, int padding) {
    /** Loads {@code weight} [out, in, k, k] and {@code bias} [out]. */
    public static Conv2d load(Params p, long in, long out, int kernel, int stride, int padding) {
        return new Conv2d(p.get("weight", out, in, kernel, kernel), p.get("bias", out), stride, padding);
    }

    public NDArray forward(NDArray x) {
        return Layers.conv(x, weight, bias, stride, padding, 1, 1);
    }

    /** nn.Conv2d with a different stride or padding per axis (e.g. stride (3, 1)), through DJL's JNI. */
    public static NDArray forward(NDArray x, NDArray weight, NDArray bias, int strideH, int strideW, int padH, int padW) {
        return JniUtils.convolution((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias,
                new Shape(strideH, strideW), new Shape(padH, padW), new Shape(1, 1), 1);
    }
}
