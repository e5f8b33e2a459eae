package studio.weights;

/**
 * Limits and overflow-checked arithmetic shared by the checkpoint readers. Sizes, offsets and
 * strides come from untrusted files: plain {@code long} arithmetic would wrap a crafted 2^62 to a
 * small or negative number and read the wrong bytes, so every product and sum goes through here
 * and fails as one short {@link CheckpointException}.
 */
public final class Bounds {
    private Bounds() {}

    /** Tensors are converted to {@code float[]}, which holds at most this many values. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** More dimensions than any network uses (PyTorch itself stops at 64). */
    public static final int MAX_RANK = 64;
    /** Longest value echoed in a message: a 100 MB string from a file must not become the message. */
    public static final int MAX_ECHO = 60;

    /** {@code s} cut to {@link #MAX_ECHO} characters, marking the cut. */
    public static String clip(String s) {
        if (s == null) return "null";
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO - 3) + "...";
    }

    /** A tensor's element count: non-negative sizes, at most {@link #MAX_RANK} of them, product at most {@link #MAX_ELEMENTS}. */
    public static long elements(long[] shape, String file, String tensor) {
        if (shape.length > MAX_RANK)
            throw bad(file, tensor, "has " + shape.length + " dimensions (at most " + MAX_RANK + ")");
        for (long d : shape) if (d < 0) throw bad(file, tensor, "has a negative size " + d);
        for (long d : shape) if (d == 0) return 0; // empty, however large the other sizes
        long n = 1;
        for (long d : shape) n = times(n, d, file, tensor);
        if (n > MAX_ELEMENTS) throw bad(file, tensor, "is too large (" + n + " values; at most " + MAX_ELEMENTS + ")");
        return n;
    }

    /** {@code a * b} for sizes read from a file, failing when it overflows a long. */
    public static long times(long a, long b, String file, String tensor) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw bad(file, tensor, "has a size that overflows");
        }
    }

    /** {@code a + b} for offsets read from a file, failing when it overflows a long. */
    public static long plus(long a, long b, String file, String tensor) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw bad(file, tensor, "has an offset that overflows");
        }
    }

    private static CheckpointException bad(String file, String tensor, String problem) {
        return new CheckpointException(file, "tensor '" + clip(tensor) + "' " + problem);
    }
}
