package studio.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code studio bench NAME [options]}: the benchmarks whose tables are in the README, one subcommand
 * each. Defaults come from the install folder (samples/, checkpoints/ or {@code $STUDIO_CHECKPOINTS});
 * the neural benchmarks take {@code --schema} for full-size procedural weights instead.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs a benchmark and prints its table (the README's numbers come from these).",
        subcommands = {
            BuiltinBench.class,
            FaceBench.class,
            MotionBench.class,
            FaceRenderBench.class,
            GfpganBench.class,
            UNetBench.class,
            MemoryBench.class,
            BatchBench.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  studio bench builtin",
            "  studio bench facerender --schema ../shared/golden/sadtalker/schema.json 4 16",
            "  studio bench memory 5 60 --schema schema.json -- --batch-size 2",
            "  studio bench batch --jobs 12 --executors 1,2"
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
