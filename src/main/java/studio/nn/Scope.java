package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * Frees a computation's intermediate NDArrays as soon as it returns. DJL keeps every array an op
 * creates until its manager closes, so a network run in one manager holds all its activations at
 * once (gigabytes for a 256-pixel SPADE decoder). Running each block in a scope keeps only the
 * block's result: the inputs are attached to a sub-manager for the duration (so the ops' outputs
 * land there), the result is moved back to the inputs' manager, the rest is closed.
 */
public final class Scope {
    private Scope() {}

    /** Runs {@code body}, whose inputs are {@code inputs} (the first one's manager receives the result). */
    public static NDArray run(Supplier<NDArray> body, NDArray... inputs) {
        NDManager parent = inputs[0].getManager();
        try (NDManager scope = parent.newSubManager()) {
            for (NDArray in : inputs) in.tempAttach(scope);
            NDArray result = body.get();
            result.attach(parent);
            return result;
        }
    }

    /** As {@link #run} for a body with several results. */
    public static NDList runList(Supplier<NDList> body, NDArray... inputs) {
        NDManager parent = inputs[0].getManager();
        try (NDManager scope = parent.newSubManager()) {
            for (NDArray in : inputs) in.tempAttach(scope);
            NDList result = body.get();
            result.attach(parent);
            return result;
        }
    }
}
