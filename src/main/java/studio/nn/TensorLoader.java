package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import studio.weights.CheckpointException;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * Loads each tensor of a state dict once into a float32 NDArray in libtorch's memory (for networks
 * that run many times, unlike {@link Params}, which re-reads on every call). The float[] of a tensor
 * is dropped as soon as it is copied, so peak heap stays at one tensor even for a multi-GB
 * checkpoint and the weights do not count against the Java heap; keys that were
 * loaded are recorded so callers can check that a checkpoint was fully consumed.
 */
public final class TensorLoader {
    private final StateDict dict;
    private final NDManager manager;
    private final String prefix;
    private final Set<String> loaded;

    public TensorLoader(StateDict dict, NDManager manager, String prefix) {
        this(dict, manager, prefix, new LinkedHashSet<>());
    }

    private TensorLoader(StateDict dict, NDManager manager, String prefix, Set<String> loaded) {
        this.dict = dict;
        this.manager = manager;
        this.prefix = prefix;
        this.loaded = loaded;
    }

    /** The loader of a sub-module: {@code sub("encoder.0")} reads keys {@code <prefix>encoder.0.*}. */
    public TensorLoader sub(String name) {
        return new TensorLoader(dict, manager, prefix + name + ".", loaded);
    }

    public TensorLoader sub(Object... path) {
        TensorLoader l = this;
        for (Object p : path) l = l.sub(String.valueOf(p));
        return l;
    }

    public boolean has(String name) {
        return dict.contains(prefix + name);
    }

    public NDManager manager() {
        return manager;
    }

    /** A tensor that must have exactly {@code shape}. */
    public NDArray get(String name, long... shape) {
        String key = prefix + name;
        TensorInfo info = dict.require(key);
        if (!Arrays.equals(info.shape(), shape))
            throw new CheckpointException(dict.source(), "tensor '" + key + "' has shape " + info.shapeString()
                    + ", expected " + Arrays.toString(shape));
        // NDManager.create wraps a direct ByteBuffer that would count against the JVM's direct-memory
        // limit for as long as the weight lives; a libtorch-owned copy lets that buffer go at once.
        NDArray staged = manager.create(dict.floats(key), new Shape(shape));
        NDArray a = staged.duplicate();
        staged.close();
        loaded.add(key);
        return a;
    }

    /** A tensor of the stored shape, whose leading axis must be {@code first} (e.g. a conv's out channels). */
    public long[] shape(String name) {
        return dict.require(prefix + name).shape();
    }

    /** Keys read so far by this loader and all its sub-loaders. */
    public Set<String> loadedKeys() {
        return loaded;
    }

    public StateDict dict() {
        return dict;
    }
}
