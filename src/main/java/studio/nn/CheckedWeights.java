package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * Loads a network's tensors with the shapes its architecture dictates and checks the whole
 * checkpoint section at once: instead of failing on the first problem, every missing or
 * misshapen tensor is collected (a zero placeholder stands in), and {@link #finish} reports them
 * together with the tensors the architecture never read, each by its full key.
 */
public final class CheckedWeights {
    private static final class Ledger {
        final Set<String> used = new HashSet<>();
        final List<String> missing = new ArrayList<>();
        final List<String> misshapen = new ArrayList<>();
    }

    private final StateDict dict;
    private final NDManager manager;
    private final String prefix;
    private final Ledger ledger;

    public CheckedWeights(StateDict dict, NDManager manager, String prefix) {
        this(dict, manager, prefix, new Ledger());
    }

    private CheckedWeights(StateDict dict, NDManager manager, String prefix, Ledger ledger) {
        this.dict = dict;
        this.manager = manager;
        this.prefix = prefix;
        this.ledger = ledger;
    }

    /** The weights of a sub-module: {@code sub("encoder.0")} reads {@code <prefix>encoder.0.*}. */
    public CheckedWeights sub(String name) {
        return new CheckedWeights(dict, manager, prefix + name + ".", ledger);
    }

    public NDManager manager() {
        return manager;
    }

    public String prefix() {
        return prefix;
    }

    /** The tensor {@code name}, which must have {@code shape}. */
    public NDArray get(String name, long... shape) {
        return manager.create(floats(name, shape), new Shape(shape));
    }

    /** The same as {@link #get} as a Java array (for small tensors used outside DJL). */
    public float[] floats(String name, long... shape) {
        String key = prefix + name;
        ledger.used.add(key);
        TensorInfo info = dict.info(key);
        long n = 1;
        for (long d : shape) n *= d;
        if (info == null) {
            ledger.missing.add(key);
            return new float[(int) n];
        }
        if (!Arrays.equals(info.shape(), shape)) {
            ledger.misshapen.add(key + " " + info.shapeString() + " (expected " + Arrays.toString(shape) + ")");
            return new float[(int) n];
        }
        return dict.floats(key);
    }

    /**
     * Fails with one message naming every missing, misshapen and unexpected tensor under
     * {@code section} (a key prefix such as {@code "audio2exp."}). Unread keys for which
     * {@code unused} holds (training-only modules, {@code num_batches_tracked}) are allowed.
     */
    public void finish(String network, String section, Predicate<String> unused) {
        List<String> extra = new ArrayList<>();
        for (String k : dict.keys())
            if (k.startsWith(section) && !ledger.used.contains(k) && !unused.test(k)) extra.add(k);
        var m = new Checkpoints.Mismatch(ledger.missing, extra, ledger.misshapen);
        if (!m.isEmpty()) throw new CheckpointException(dict.source(), "does not fit " + network + ": " + m.describe());
    }

    /** Keys that only exist for training bookkeeping. */
    public static boolean isBookkeeping(String key) {
        return key.endsWith(".num_batches_tracked");
    }
}
