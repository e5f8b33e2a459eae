package studio.bench;

import studio.cli.StudioCli;
import studio.nn.TorchEngine;

/**
 * Runs the CLI with the given arguments, then prints this process's peak resident memory (VmHWM, KiB)
 * on a line of its own: the child side of {@link MemoryBenchmark}. A process cannot read another's
 * high-water mark after it has ended, so the process reports its own.
 */
public final class PeakMemory {
    static final String PREFIX = "peak-rss-kib=";

    private PeakMemory() {}

    public static void main(String[] args) throws Exception {
        TorchEngine.offline();
        int code = StudioCli.execute(args);
        long peak = ProcessStats.statusKib("VmHWM");
        if (peak >= 0) System.out.println(PREFIX + peak);
        System.out.flush();
        System.exit(code);
    }
}
