package studio.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A state dict read from a file: the reader fills an index from key to where each tensor's bytes
 * are, and reads one tensor to float32 when asked. The index and its lookups are the same for
 * every format (safetensors, PyTorch, TensorFlow.js shards); only {@link #read} differs.
 *
 * @param <E> one tensor's entry in the index
 */
public abstract class IndexedStateDict<E extends IndexedStateDict.Indexed> implements StateDict {
    /** What every index entry knows: the tensor's name, element type and shape. */
    public interface Indexed {
        TensorInfo info();
    }

    protected final String source;
    /** Key → entry, in file order. */
    protected final Map<String, E> entries = new LinkedHashMap<>();

    protected IndexedStateDict(String source) {
        this.source = source;
    }

    /**
     * What a reader throws when opening failed: the memory map is closed and the problem becomes
     * one line naming the file. A reader's own {@link CheckpointException} passes as it is; any
     * other failure (I/O, a check the reader lacks, a crafted file's stack or heap exhaustion) is
     * said as "{@code format} (what went wrong)", never with the JVM's trace.
     */
    protected static CheckpointException openFailure(String source, Arena arena, Throwable e, String format) {
        arena.close();
        if (e instanceof CheckpointException c) return c;
        if (e instanceof IOException io)
            return new CheckpointException(
                    source, "cannot read (" + Bounds.clip(String.valueOf(io.getMessage())) + ")", e);
        String why = switch (e) {
            case StackOverflowError so -> "too deeply nested";
            case OutOfMemoryError oom -> "too large";
            default -> e.getClass().getSimpleName();
        };
        return new CheckpointException(source, format + " (" + why + ")", e);
    }

    /** Reads {@code e}'s tensor as float32, row-major, into {@code out} (sized to its element count). */
    protected abstract void read(E e, float[] out);

    /** The entry of a tensor that must exist. */
    protected E entry(String key) {
        E e = entries.get(key);
        if (e == null) throw new CheckpointException(source, "missing tensor '" + key + "'");
        return e;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public TensorInfo info(String key) {
        E e = entries.get(key);
        return e == null ? null : e.info();
    }

    @Override
    public float[] floats(String key) {
        E e = entry(key);
        long n = e.info().elements();
        if (n > Bounds.MAX_ELEMENTS)
            throw new CheckpointException(source, "tensor '" + Bounds.clip(key) + "' too large");
        float[] out = new float[(int) n];
        read(e, out);
        return out;
    }
}
