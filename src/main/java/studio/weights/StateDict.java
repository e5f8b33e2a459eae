package studio.weights;

import java.util.Set;

/**
 * A read-only map from state-dict key to tensor, as PyTorch names them. Implemented by checkpoint
 * files (safetensors, .pth) and by the procedural weights used for golden tests.
 */
public interface StateDict extends AutoCloseable {
    /** Where the tensors come from (a file path or a description), used in messages. */
    String source();

    Set<String> keys();

    /** Shape and type of a tensor, or null when absent. */
    TensorInfo info(String key);

    /** The tensor as float32 in row-major order; integer tensors are converted. */
    float[] floats(String key);

    default boolean contains(String key) {
        return info(key) != null;
    }

    /** The info of a tensor that must exist, failing with a message naming the missing tensor. */
    default TensorInfo require(String key) {
        TensorInfo i = info(key);
        if (i == null) throw new CheckpointException(source(), "missing tensor '" + key + "'");
        return i;
    }

    /** A view of the keys under {@code prefix} with the prefix removed. */
    default StateDict under(String prefix) {
        return new PrefixedStateDict(this, prefix);
    }

    @Override
    default void close() {}
}
