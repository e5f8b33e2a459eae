package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** nn.Linear (y = x W^T + b) with its weights loaded once; the bias is optional. */
public final class Dense {
    private final NDArray weight;
    private final NDArray bias;
    private final ReducedWeights reduced;

    public Dense(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
        this.reduced = new ReducedWeights(weight, bias);
    }

    public static Dense load(Params p, long in, long out, boolean withBias) {
        return new Dense(p.get("weight", out, in), withBias ? p.get("bias", out) : null);
    }

    public NDArray forward(NDArray x) {
        if (Autocast.reduced()) {
            NDArray[] wb = reduced.current();
            return Autocast.linearCast(x, wb[0], wb[1]);
        }
        return JniUtils.linear((PtNDArray) x, (PtNDArray) weight, (PtNDArray) bias);
    }
}
