package studio.nn;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Keeps memory that libtorch frees inside the process. glibc's malloc hands large freed blocks back
 * to the kernel (mmap/trim) and the next frame faults the same pages in again: ~650k page faults per
 * face-renderer frame, about 3x slower on 2 cores. {@code packaging/studio} and the tests set
 * {@code GLIBC_TUNABLES} before the JVM starts; this applies the same three settings with
 * {@code mallopt} for every other way of starting the app (the jpackage installers, an IDE).
 * Hand-written because no library exposes mallopt; it is a no-op where the C library is not glibc.
 * {@link #describe()} says which of these happened ({@code studio info} prints it).
 */
public final class NativeMemory {
    private static final int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4, M_ARENA_MAX = -8;
    /** The start of {@link #describe()}'s line when this class set the allocator. */
    public static final String BY_MALLOPT = "set by mallopt at start-up";

    private static String outcome;

    private NativeMemory() {}

    /** Applies the settings once, unless GLIBC_TUNABLES already chose; true when mallopt accepted them. */
    public static synchronized boolean keepFreedMemory() {
        if (outcome == null) outcome = apply();
        return outcome.startsWith(BY_MALLOPT);
    }

    /**
     * How glibc's allocator was set in this process: from GLIBC_TUNABLES in the environment, by
     * mallopt at start-up, or not, and why not.
     */
    public static synchronized String describe() {
        String tunables = System.getenv("GLIBC_TUNABLES");
        if (tunables != null) return "GLIBC_TUNABLES from the environment (" + tunables + ")";
        return outcome != null ? outcome : "not applied: the app's start-up (keepFreedMemory) did not run in this JVM";
    }

    private static String apply() {
        if (System.getenv("GLIBC_TUNABLES") != null) return "GLIBC_TUNABLES from the environment";
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) return "not applied: glibc's settings, not needed on " + os;
        try {
            Linker linker = Linker.nativeLinker();
            var symbol = linker.defaultLookup().find("mallopt");
            if (symbol.isEmpty()) return "not applied: the C library has no mallopt (not glibc)";
            MethodHandle mallopt =
                    linker.downcallHandle(symbol.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            int mmap = (int) mallopt.invokeExact(M_MMAP_MAX, 0);
            int trim = (int) mallopt.invokeExact(M_TRIM_THRESHOLD, Integer.MAX_VALUE);
            int arenas = (int) mallopt.invokeExact(M_ARENA_MAX, 1);
            if (mmap != 1 || trim != 1 || arenas != 1)
                return "not applied: mallopt refused (mmap_max " + mmap + ", trim_threshold " + trim + ", arena_max "
                        + arenas + ")";
            return BY_MALLOPT + " (mmap_max=0, trim_threshold=" + Integer.MAX_VALUE + ", arena_max=1)";
        } catch (Throwable e) { // IllegalCallerException without --enable-native-access, or no such symbol
            return "not applied: " + e;
        }
    }
}
