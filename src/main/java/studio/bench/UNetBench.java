package studio.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import studio.diffusion.Sd15Checkpoint;
import studio.diffusion.UNet;
import studio.job.InputException;
import studio.job.StudioException;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.nn.TorchEngine;
import studio.weights.StateDict;

/**
 * Benchmark: seconds per UNet step at 512×512 (latent 64×64, batch 2 for CFG), fp32, on this
 * machine, beside sd4j's published figure. Weights: a checkpoint ({@code --model file}) or full-size
 * procedural ones from a golden schema ({@code --schema file}); speed does not depend on the values.
 */
@Command(
        name = "unet",
        mixinStandardHelpOptions = true,
        description = "One Stable Diffusion UNet step (batch 2 for CFG), at each precision asked for.")
public final class UNetBench implements Callable<Integer> {
    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "SD 1.x checkpoint (.safetensors) or diffusers folder.")
    Path model;

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description = "Full-size procedural weights from this golden SD 1.5 schema.json instead.")
    Path schema;

    @Option(
            names = "--size",
            defaultValue = "512",
            description = "Picture size, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", defaultValue = "3", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    BenchCompute computes;

    /** One UNet step, read back so that a GPU's queued kernels are inside the timing. */
    private static void step(UNet unet, NDArray x, float[] t, NDArray ctx) {
        try (NDArray y = unet.forward(x, t, ctx)) {
            y.toFloatArray();
        }
    }

    @Override
    public Integer call() {
        if (size < 8 || size % 8 != 0 || steps < 1)
            throw new InputException("--size must be a multiple of 8, --steps at least 1");
        if (model == null && BenchWeights.existing(schema) == null)
            throw new StudioException(
                    "no weights: pass --model FILE (an SD 1.x checkpoint) or --schema FILE (procedural weights from a golden schema.json)");
        if (model != null && !Files.exists(model)) throw new InputException(model, "model not found");
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> rows = new ArrayList<>();
        for (Compute compute : computes.resolve()) {
            long t0 = System.nanoTime();
            StateDict dict = model != null ? Sd15Checkpoint.open(model) : Sd15Checkpoint.procedural(schema, "");
            try (NDManager base = compute.newManager();
                    UNet unet = UNet.load(dict, base);
                    Autocast.Scope cast = compute.autocast()) {
                double load = (System.nanoTime() - t0) / 1e9;
                int l = size / 8;
                try (NDManager m = base.newSubManager()) {
                    NDArray x = m.randomNormal(new Shape(2, 4, l, l));
                    NDArray ctx = m.randomNormal(new Shape(2, 77, 768));
                    float[] t = {500, 500};
                    step(unet, x, t, ctx); // warm-up
                    // Process CPU time too: on a shared machine the wall time depends on the other users' load,
                    // CPU-seconds per step (all threads) do not, and compare with "s/step × cores" of a dedicated
                    // machine.
                    double best = Double.MAX_VALUE, sum = 0, cpu = 0;
                    for (int i = 0; i < steps; i++) {
                        long s = System.nanoTime();
                        double c = ProcessStats.cpuSeconds();
                        step(unet, x, t, ctx);
                        cpu += ProcessStats.cpuSeconds() - c;
                        double sec = (System.nanoTime() - s) / 1e9;
                        best = Math.min(best, sec);
                        sum += sec;
                    }
                    double mean = sum / steps;
                    String where =
                            compute.deviceId() + ", " + compute.precision().id();
                    rows.add(String.format(
                            "| this (UNet %dx%d, batch 2, %s), mean of %d | %.2f | %d | %.1f |",
                            size, size, where, steps, mean, threads, mean * threads));
                    rows.add(String.format(
                            "| this, %s, best | %.2f | %d | %.1f |", where, best, threads, best * threads));
                    rows.add(String.format(
                            "| this, %s, CPU-seconds per step (all threads) | | | %.1f |", where, cpu / steps));
                    System.out.printf("%s: weights loaded in %.1f s%n", where, load);
                }
            } finally {
                dict.close();
            }
        }
        System.out.printf(
                "engine %s, %d CPU threads, load average %s%n",
                TorchEngine.describe(), threads, ProcessStats.loadAverage());
        System.out.printf("| what | s/step | cores | s/step × cores |%n|---|---|---|---|%n");
        rows.forEach(System.out::println);
        System.out.printf("| sd4j (published, 6-core laptop, fp32) | ≈5 | 6 | ≈30 |%n");
        return 0;
    }
}
