package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** nn.Conv2d with a different stride or padding per axis (e.g. stride (3, 1)), through DJL's JNI. */
public final class Conv2d {
    private Conv2d() {}

    public static NDArray forward(NDArray x, NDArray weight, NDArray bias, int strideH, int strideW, int padH, int padW) {
        return JniUtils.convolution((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias,
                new Shape(strideH, strideW), new Shape(padH, padW), new Shape(1, 1), 1);
    }
}
