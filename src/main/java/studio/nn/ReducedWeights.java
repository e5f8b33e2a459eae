package studio.nn;

import ai.djl.ndarray.NDArray;

/**
 * A layer's weight and bias cast once for each reduced precision (fp16, bf16), on first use under
 * that autocast, and kept in the weights' manager: casting every call would cost as much memory
 * traffic as a small layer's compute.
 */
final class ReducedWeights {
    private final NDArray weight, bias;
    private NDArray[] half, bf16;

    ReducedWeights(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** {weight, bias} in this thread's reduced precision (bias may be null). */
    synchronized NDArray[] current() {
        if (Autocast.bf16()) {
            if (bf16 == null) bf16 = new NDArray[] {Autocast.castWeight(weight), Autocast.castWeight(bias)};
            return bf16;
        }
        if (half == null) half = new NDArray[] {Autocast.castWeight(weight), Autocast.castWeight(bias)};
        return half;
    }
}
