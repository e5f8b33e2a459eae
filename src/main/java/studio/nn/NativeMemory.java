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
 */
public final class NativeMemory {
    private static final int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4, M_ARENA_MAX = -8;
    private static boolean applied;

    private NativeMemory() {}

    /** Applies the settings once, unless GLIBC_TUNABLES already chose; true when mallopt accepted them. */
    public static synchronized boolean keepFreedMemory() {
        if (applied) return true;
        applied = true;
        if (System.getenv("GLIBC_TUNABLES") != null
                || !System.getProperty("os.name", "").startsWith("Linux")) return false;
        try {
            Linker linker = Linker.nativeLinker();
            var symbol = linker.defaultLookup().find("mallopt");
            if (symbol.isEmpty()) return false; // musl and other C libraries
            MethodHandle mallopt =
                    linker.downcallHandle(symbol.get(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            int ok = (int) mallopt.invokeExact(M_MMAP_MAX, 0);
            ok &= (int) mallopt.invokeExact(M_TRIM_THRESHOLD, Integer.MAX_VALUE);
            ok &= (int) mallopt.invokeExact(M_ARENA_MAX, 1);
            return ok == 1;
        } catch (Throwable e) { // IllegalCallerException without --enable-native-access, or no such symbol
            return false;
        }
    }
}
