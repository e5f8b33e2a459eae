package studio.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code studio bench NAME [args]}: the benchmarks whose tables are in the README, one entry point. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a benchmark and prints its table (the README's numbers come from these).",
        footer = {"", "Benchmarks (default paths: the bundled samples and checkpoints):",
                "  builtin [portrait] [audio] [checkpoints]",
                "      built-in engine: fps per crop mode and size",
                "  face [checkpoints] [portrait]",
                "      face detection, landmarks, crop, paste-back",
                "  motion [seconds] [checkpoint-dir|schema.json]",
                "      audio -> coefficients (SadTalker audio2exp and pose)",
                "  facerender [checkpoint-dir|schema.json] [short] [long]",
                "      SadTalker face renderer at 256: seconds per frame",
                "  gfpgan [--checkpoint file] [--short n] [--long n] [--batch n]",
                "      GFPGAN restoration at 512",
                "  unet [--model file | --schema file] [--size n] [--steps n]",
                "      one Stable Diffusion UNet step",
                "  memory [seconds...] [--schema schema.json] [-- render options]",
                "      peak memory of whole render jobs, a fresh process per clip length",
                "", "Example:", "  studio bench memory 5 60 --schema ../shared/golden/sadtalker/schema.json"})
final class BenchCommand implements Callable<Integer> {
    enum Benchmark { builtin, face, motion, facerender, gfpgan, unet, memory }

    @Parameters(index = "0", paramLabel = "NAME", description = "One of: ${COMPLETION-CANDIDATES}.")
    Benchmark name;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "Arguments of that benchmark (see below).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String[] a = args.toArray(String[]::new);
        switch (name) {
            case builtin -> studio.render.builtin.BuiltinBenchmark.main(a);
            case face -> studio.face.FaceBenchmark.main(a);
            case motion -> studio.motion.MotionBenchmark.main(a);
            case facerender -> studio.render.neural.FaceRenderBench.main(a);
            case gfpgan -> studio.enhance.GfpganBenchmark.main(a);
            case unet -> studio.diffusion.UNetBench.main(a);
            case memory -> studio.bench.MemoryBenchmark.main(a);
        }
        return 0;
    }
}
