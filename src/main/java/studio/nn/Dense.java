package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** nn.Linear (y = x W^T + b) with its weights loaded once; the bias is optional. */
public record Dense(NDArray weight, NDArray bias) {
    public static Dense load(Params p, long in, long out, boolean withBias) {
        return new Dense(p.get("weight", out, in), withBias ? p.get("bias", out) : null);
    }

    public NDArray forward(NDArray x) {
        if (Autocast.half()) return Autocast.linear(x, weight, bias);
        return JniUtils.linear((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias);
    }
}
