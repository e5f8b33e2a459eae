package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import studio.weights.CheckpointException;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * Loads a network's parameters from a state dict into NDArrays owned by one manager, checking each
 * tensor's shape against what the layer expects so a wrong checkpoint fails with the tensor's name.
 */
public final class Params {
    private final StateDict dict;
    private final NDManager manager;
    private final String prefix;

    public Params(StateDict dict, NDManager manager, String prefix) {
        this.dict = dict;
        this.manager = manager;
        this.prefix = prefix;
    }

    public Params(StateDict dict, NDManager manager) {
        this(dict, manager, "");
    }

    /** The parameters of a sub-module: {@code p.sub("encoder.0")} reads keys {@code <prefix>encoder.0.*}. */
    public Params sub(String name) {
        return new Params(dict, manager, prefix + name + ".");
    }

    public NDManager manager() {
        return manager;
    }

    public String key(String name) {
        return prefix + name;
    }

    public boolean has(String name) {
        return dict.contains(prefix + name);
    }

    /** A tensor of any shape. */
    public NDArray get(String name) {
        TensorInfo info = dict.require(prefix + name);
        return manager.create(dict.floats(prefix + name), new Shape(info.shape()));
    }

    /** A tensor that must have exactly {@code shape}. */
    public NDArray get(String name, long... shape) {
        TensorInfo info = dict.require(prefix + name);
        if (!java.util.Arrays.equals(info.shape(), shape))
            throw new CheckpointException(dict.source(), "tensor '" + prefix + name + "' has shape " + info.shapeString()
                    + ", expected " + java.util.Arrays.toString(shape));
        return manager.create(dict.floats(prefix + name), new Shape(shape));
    }

    /** Shape of a stored tensor (for layers whose sizes come from the checkpoint). */
    public long[] shape(String name) {
        return dict.require(prefix + name).shape();
    }

    public StateDict dict() {
        return dict;
    }
}
