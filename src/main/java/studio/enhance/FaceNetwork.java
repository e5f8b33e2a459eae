package studio.enhance;

import ai.djl.ndarray.NDArray;

/**
 * A face restoration network on aligned faces: (b, 3, 512, 512) RGB in [-1, 1] → the same shape,
 * raw (the caller clamps). The result must belong to the input's manager so that a per-batch scope
 * frees it.
 */
public interface FaceNetwork extends AutoCloseable {
    NDArray restore(NDArray faces);

    @Override
    default void close() {}
}
