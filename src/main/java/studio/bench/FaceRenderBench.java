package studio.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.job.FrameSink;
import studio.job.InputException;
import studio.job.JobContext;
import studio.nn.Compute;
import studio.nn.TorchEngine;
import studio.render.neural.FaceRenderer;

/**
 * Benchmark of the face renderer at 256 or 512, on a device and in one or more precisions
 * ({@code --device}, {@code --precision fp32,bf16}, side by side in one run): seconds per frame at batch 1 and 2, and peak resident
 * memory (VmHWM) for a short and a longer clip in the same process (the high-water mark is reset
 * between runs through /proc/self/clear_refs), printed as a table.
 *
 * <p>CPU seconds per frame are printed beside wall time: on a shared machine the wall time
 * includes waiting for other processes, the CPU time (all libtorch threads) much less so; on an
 * idle 2-core machine the wall time is about CPU time / 2.
 *
 * <p>Weights: the released generator and mapping files in the checkpoint folder, or full-size
 * procedural ones from a golden schema ({@code --schema}; same cost).
 */
@Command(
        name = "facerender",
        mixinStandardHelpOptions = true,
        description = "SadTalker face renderer at 256 or 512: seconds per frame and peak memory, a short and a longer"
                + " clip, per device and precision.")
public final class FaceRenderBench implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "SHORT",
            defaultValue = "4",
            description = "Frames of the short runs (default: ${DEFAULT-VALUE}).")
    int shortFrames;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "LONG",
            defaultValue = "16",
            description = "Frames of the long run (default: ${DEFAULT-VALUE}).")
    int longFrames;

    @Mixin
    BenchWeights weights;

    @Mixin
    BenchCompute computes;

    @Option(
            names = "--size",
            defaultValue = "256",
            description = "Render size, 256 or 512 (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        if (shortFrames < 1 || longFrames < 1) throw new InputException("frame counts must be at least 1");
        if (size != 256 && size != 512) throw new InputException("--size must be 256 or 512, got " + size);
        boolean procedural = weights.procedural();
        if (!procedural
                && !(Files.isDirectory(weights.checkpointDir())
                        && FaceRenderer.available(weights.checkpointDir(), false, size)))
            throw weights.missing(FaceRenderer.generatorFile(size) + " and " + FaceRenderer.mappingFile(false));
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> rows = new ArrayList<>();
        for (Compute compute : computes.resolve()) {
            long t0 = System.nanoTime();
            FaceRenderer renderer = !procedural
                    ? FaceRenderer.load(weights.checkpointDir(), false, size, compute)
                    : FaceRenderer.open(
                            ProceduralFaceWeights.generatorKp(weights.schema(), "crop"),
                            ProceduralFaceWeights.mapping(weights.schema(), "crop"),
                            false,
                            size,
                            compute);
            double load = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "face renderer %d (crop), %s, %d cores, libtorch threads %d, weights: %s, load %.1f s%n",
                    size,
                    compute.describe(),
                    cores,
                    TorchEngine.threads(),
                    procedural ? "procedural" : weights.checkpointDir(),
                    load);

            BufferedImage portrait = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Random r = new Random(1);
            for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) portrait.setRGB(x, y, r.nextInt());
            float[] coeffs0 = new float[70];
            for (int i = 0; i < 70; i++) coeffs0[i] = (float) (r.nextGaussian() * 0.3);

            // warm-up (first calls pick convolution algorithms)
            run(renderer, portrait, coeffs0, 2, 2, r);
            String where = compute.deviceId() + " " + compute.precision().id();
            for (int batch : new int[] {1, 2}) {
                ProcessStats.resetPeak();
                double[] s = run(renderer, portrait, coeffs0, shortFrames, batch, r);
                rows.add(row(where, "short", shortFrames, batch, s));
            }
            ProcessStats.resetPeak();
            double[] s = run(renderer, portrait, coeffs0, longFrames, 2, r);
            rows.add(row(where, "long", longFrames, 2, s));
            renderer.close();
        }
        System.out.println();
        System.out.println(
                "| size | device, precision | run | frames | batch | wall s/frame | CPU s/frame | peak RSS (VmHWM) | load avg |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private String row(String where, String run, int frames, int batch, double[] s) {
        String r = String.format(
                "| %d | %s | %s | %d | %d | %.2f | %.2f | %d MiB | %s |",
                size, where, run, frames, batch, s[0] / frames, s[1] / frames, peakMiB(), load());
        System.out.println(r);
        return r;
    }

    /** Wall and process CPU seconds for one clip of {@code frames} frames (source preparation included). */
    private static double[] run(
            FaceRenderer renderer, BufferedImage portrait, float[] c0, int frames, int batch, Random r) {
        float[][] coeffs = new float[frames][];
        for (int f = 0; f < frames; f++) {
            coeffs[f] = c0.clone();
            for (int i = 0; i < 70; i++) coeffs[f][i] += (float) (r.nextGaussian() * 0.1);
        }
        int[] count = {0};
        FrameSink sink = img -> count[0]++;
        long t = System.nanoTime();
        double cpu = ProcessStats.cpuSeconds();
        renderer.render(
                portrait,
                c0,
                coeffs,
                new FaceRenderer.Options(1.0, false, batch, List.of(), List.of(), List.of()),
                sink,
                JobContext.quiet());
        if (count[0] != frames) throw new IllegalStateException("got " + count[0] + " frames, expected " + frames);
        return new double[] {(System.nanoTime() - t) / 1e9, ProcessStats.cpuSeconds() - cpu};
    }

    private static long peakMiB() {
        long kib = ProcessStats.statusKib("VmHWM");
        return kib < 0 ? -1 : kib / 1024;
    }

    /** The 1-minute load average: the machine is shared, so wall times are only meaningful beside it. */
    private static String load() {
        return ProcessStats.loadAverage().split(" ")[0];
    }
}
