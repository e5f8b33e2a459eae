package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * Loads a network's parameters from a state dict, by key prefix, into NDArrays owned by one
 * manager, checking each tensor's shape against what the layer expects. Every key read (by this
 * object and all its {@link #sub} views) is recorded, so a caller can check that a checkpoint was
 * fully consumed ({@link #loadedKeys}).
 *
 * <p>Two modes: {@linkplain #Params(StateDict, NDManager, String) strict}, where a missing or
 * misshapen tensor fails at once with its key; and {@linkplain #collecting collecting}, where
 * every missing or misshapen tensor is noted (a zero placeholder stands in) and {@link #finish}
 * reports them all together with the tensors the architecture never read.
 */
public final class Params {
    /** What was read, and (in collecting mode) what was wrong; shared by a Params and its subs. */
    private static final class Ledger {
        final boolean collecting;
        final Set<String> read = new LinkedHashSet<>();
        final List<String> missing = new ArrayList<>();
        final List<String> misshapen = new ArrayList<>();

        Ledger(boolean collecting) {
            this.collecting = collecting;
        }
    }

    private final StateDict dict;
    private final NDManager manager;
    private final String prefix;
    private final Ledger ledger;

    public Params(StateDict dict, NDManager manager, String prefix) {
        this(dict, manager, prefix, new Ledger(false));
    }

    public Params(StateDict dict, NDManager manager) {
        this(dict, manager, "");
    }

    private Params(StateDict dict, NDManager manager, String prefix, Ledger ledger) {
        this.dict = dict;
        this.manager = manager;
        this.prefix = prefix;
        this.ledger = ledger;
    }

    /**
     * Parameters that do not fail on the first missing or misshapen tensor: each is noted and read
     * as zeros, and {@link #finish} reports them all at once.
     */
    public static Params collecting(StateDict dict, NDManager manager, String prefix) {
        return new Params(dict, manager, prefix, new Ledger(true));
    }

    /** The parameters of a sub-module: {@code p.sub("encoder.0")} reads keys {@code <prefix>encoder.0.*}. */
    public Params sub(String name) {
        return new Params(dict, manager, prefix + name + ".", ledger);
    }

    /** A nested sub-module: {@code p.sub("down", 2, "conv")} is {@code p.sub("down").sub("2").sub("conv")}. */
    public Params sub(Object... path) {
        Params p = this;
        for (Object part : path) p = p.sub(String.valueOf(part));
        return p;
    }

    public NDManager manager() {
        return manager;
    }

    public String prefix() {
        return prefix;
    }

    public String key(String name) {
        return prefix + name;
    }

    public boolean has(String name) {
        return dict.contains(prefix + name);
    }

    /** A tensor of any shape (always strict: without an expected shape there is no placeholder). */
    public NDArray get(String name) {
        String key = prefix + name;
        TensorInfo info = dict.require(key);
        ledger.read.add(key);
        return toNative(dict.floats(key), new Shape(info.shape()));
    }

    /** A tensor that must have exactly {@code shape}. */
    public NDArray get(String name, long... shape) {
        return toNative(floats(name, shape), new Shape(shape));
    }

    /** The same as {@link #get(String, long...)} as a Java array (for small tensors used outside DJL). */
    public float[] floats(String name, long... shape) {
        String key = prefix + name;
        ledger.read.add(key);
        TensorInfo info = ledger.collecting ? dict.info(key) : dict.require(key);
        if (info == null) {
            ledger.missing.add(key);
            return new float[(int) count(shape)];
        }
        if (!Arrays.equals(info.shape(), shape)) {
            if (!ledger.collecting)
                throw new CheckpointException(
                        dict.source(),
                        "tensor '" + key + "' has shape " + info.shapeString() + ", expected "
                                + Arrays.toString(shape));
            ledger.misshapen.add(key + " " + info.shapeString() + " (expected " + Arrays.toString(shape) + ")");
            return new float[(int) count(shape)];
        }
        return dict.floats(key);
    }

    /** Shape of a stored tensor (for layers whose sizes come from the checkpoint). */
    public long[] shape(String name) {
        return dict.require(prefix + name).shape();
    }

    /** Keys read so far by this object and all its subs (in collecting mode, also the missing ones). */
    public Set<String> loadedKeys() {
        return ledger.read;
    }

    public StateDict dict() {
        return dict;
    }

    /**
     * Fails with one message naming every missing, misshapen and unexpected tensor under
     * {@code section} (a key prefix such as {@code "audio2exp."}). Unread keys for which
     * {@code unused} holds (training-only modules, {@code num_batches_tracked}) are allowed.
     */
    public void finish(String network, String section, Predicate<String> unused) {
        List<String> extra = new ArrayList<>();
        for (String k : dict.keys())
            if (k.startsWith(section) && !ledger.read.contains(k) && !unused.test(k)) extra.add(k);
        var m = new Checkpoints.Mismatch(ledger.missing, extra, ledger.misshapen);
        if (!m.isEmpty()) throw new CheckpointException(dict.source(), "does not fit " + network + ": " + m.describe());
    }

    /** Keys that only exist for training bookkeeping. */
    public static boolean isBookkeeping(String key) {
        return key.endsWith(".num_batches_tracked");
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /**
     * NDManager.create wraps a direct ByteBuffer that would count against the JVM's direct-memory
     * limit for as long as the weight lives; a libtorch-owned copy lets that buffer go at once, and
     * the float[] is dropped as soon as it is copied, so peak heap stays at one tensor.
     */
    private NDArray toNative(float[] data, Shape shape) {
        try (NDArray staged = manager.create(data, shape)) {
            return staged.duplicate();
        }
    }
}
