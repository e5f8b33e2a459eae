package studio.cli;

import studio.bench.MemoryBench;
import studio.bench.ProcessStats;

/**
 * The child process of {@code studio bench memory}: runs the CLI with the given arguments, then
 * prints this process's peak resident memory (VmHWM, KiB) on a line of its own. It lives in the CLI
 * package because it runs the CLI, and bench must not import cli; {@link MemoryBench} starts it by
 * its class name ({@link MemoryBench#CHILD_MAIN}). A process cannot read another's high-water mark
 * after it has ended, so the process reports its own.
 */
public final class PeakMemoryMain {
    private PeakMemoryMain() {}

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        int code = StudioCli.execute(args);
        long peak = ProcessStats.statusKib("VmHWM");
        if (peak >= 0) System.out.println(MemoryBench.PEAK_PREFIX + peak);
        System.out.flush();
        System.exit(code);
    }
}
