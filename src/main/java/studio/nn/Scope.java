package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * Runs one block of a network in its own NDManager so its intermediate arrays are freed when the
 * block returns (a UNet step would otherwise hold every activation until the step ends).
 */
public final class Scope {
    private Scope() {}

    public static NDArray run(NDArray x, UnaryOperator<NDArray> block) {
        NDManager parent = x.getManager();
        try (NDManager m = parent.newSubManager()) {
            x.tempAttach(m);
            NDArray y = block.apply(x);
            y.attach(parent);
            return y;
        }
    }

    /** x * sigmoid(x) (SiLU / swish), attached to x's manager. */
    public static NDArray silu(NDArray x) {
        return x.mul(ai.djl.pytorch.jni.JniUtils.sigmoid((ai.djl.pytorch.engine.PtNDArray) x));
    }
}
