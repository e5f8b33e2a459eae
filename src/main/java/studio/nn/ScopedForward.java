package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Frees a layer's intermediate tensors as soon as the layer is done. DJL attaches an op's result to
 * its first operand's manager, so without this every intermediate of a forward pass lives until the
 * caller's per-batch scope closes (GBs for a 512² StyleGAN2 decoder or a UNet step); PyTorch frees
 * them by reference counting.
 */
public final class ScopedForward {
    private ScopedForward() {}

    /**
     * Runs {@code body} with {@code inputs} temporarily attached to a sub-manager of the first
     * input's manager; only the result is kept (moved to that manager), everything else the body
     * made from the inputs is closed.
     */
    public static NDArray keep(Supplier<NDArray> body, NDArray... inputs) {
        NDManager outer = inputs[0].getManager();
        try (NDManager sub = outer.newSubManager()) {
            for (NDArray in : inputs) in.tempAttach(sub);
            NDArray out = body.get();
            out.attach(outer);
            return out;
        }
    }

    /** As {@link #keep} for a body with several results. */
    public static NDList keepList(Supplier<NDList> body, NDArray... inputs) {
        NDManager outer = inputs[0].getManager();
        try (NDManager sub = outer.newSubManager()) {
            for (NDArray in : inputs) in.tempAttach(sub);
            NDList out = body.get();
            out.attach(outer);
            return out;
        }
    }

    /** One block applied to one input, keeping only its output. */
    public static NDArray run(NDArray x, UnaryOperator<NDArray> block) {
        return keep(() -> block.apply(x), x);
    }
}
