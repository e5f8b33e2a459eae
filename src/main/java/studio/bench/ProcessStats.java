package studio.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmarks print beside wall time so numbers taken on a shared, busy machine can be
 * read: the process's CPU time (all threads, libtorch's included), the load average and resident memory.
 */
public final class ProcessStats {
    private ProcessStats() {}

    /** CPU seconds used by the whole process so far (all threads); NaN where the JVM cannot tell. */
    public static double cpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9
                : Double.NaN;
    }

    /** The line of /proc/loadavg (1, 5 and 15 minute load averages...), or "n/a". */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** A field of /proc/self/status in GB ("VmHWM": peak resident set, "VmRSS": current), or "n/a". */
    public static String rss(String field) {
        long kb = statusKib(field);
        return kb < 0 ? "n/a" : String.format("%.2f GB", kb / 1048576.0);
    }

    /** A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1 where there is none (not Linux). */
    public static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(field + ":"))
                    return Long.parseLong(
                            line.substring(field.length() + 1).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Resets the peak resident set (VmHWM) to the current one, so the next peak covers one run only. */
    public static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux or not permitted: the peak then covers the whole process
        }
    }
}
