package studio.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmark mains print beside wall time so numbers taken on a shared, busy machine can be
 * read: the process's CPU time (all threads, libtorch's included), the load average and resident memory.
 */
public final class ProcessStats {
    private ProcessStats() {}

    /** CPU seconds used by the whole process so far (all threads); NaN where the JVM cannot tell. */
    public static double cpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
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
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith(field + ":")) {
                    long kb = Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                    return String.format("%.2f GB", kb / 1048576.0);
                }
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
        return "n/a";
    }

    /**
     * A benchmark's default file: relative to the install folder the launcher passes as
     * {@code -Dstudio.home} (samples/, checkpoints/, ../shared/golden), so benchmarks run from any folder.
     */
    public static Path home(String relative) {
        return Path.of(System.getProperty("studio.home", ".")).resolve(relative).normalize();
    }
}
