package studio.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import studio.cli.StudioCli;

/**
 * Runs the CLI with the given arguments, then prints this process's peak resident memory (VmHWM, KiB)
 * on a line of its own: the child side of {@link MemoryBenchmark}. A process cannot read another's
 * high-water mark after it has ended, so the process reports its own.
 */
public final class PeakMemory {
    static final String PREFIX = "peak-rss-kib=";

    private PeakMemory() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int code = StudioCli.execute(args);
        for (String line : Files.readAllLines(Path.of("/proc/self/status")))
            if (line.startsWith("VmHWM:")) System.out.println(PREFIX + line.replaceAll("[^0-9]", ""));
        System.out.flush();
        System.exit(code);
    }
}
