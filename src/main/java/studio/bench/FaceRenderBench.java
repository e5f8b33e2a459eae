package studio.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import studio.job.FrameSink;
import studio.job.InputException;
import studio.job.JobContext;
import studio.nn.TorchEngine;
import studio.render.neural.FaceRenderer;

/**
 * Benchmark of the face renderer at 256: seconds per frame at batch 1 and 2, and peak resident
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
        description = "SadTalker face renderer at 256: seconds per frame and peak memory, a short and a longer clip.")
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

    @Override
    public Integer call() {
        if (shortFrames < 1 || longFrames < 1) throw new InputException("frame counts must be at least 1");
        boolean procedural = weights.procedural();
        if (!procedural
                && !(Files.isDirectory(weights.checkpointDir())
                        && FaceRenderer.available(weights.checkpointDir(), false, 256)))
            throw weights.missing(FaceRenderer.generatorFile(256) + " and " + FaceRenderer.mappingFile(false));
        int cores = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        FaceRenderer renderer = !procedural
                ? FaceRenderer.load(weights.checkpointDir(), false, 256)
                : FaceRenderer.open(
                        ProceduralFaceWeights.generatorKp(weights.schema(), "crop"),
                        ProceduralFaceWeights.mapping(weights.schema(), "crop"),
                        false,
                        256);
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "face renderer 256 (crop), %d cores, libtorch threads %d, weights: %s, load %.1f s%n",
                cores, TorchEngine.threads(), procedural ? "procedural" : weights.checkpointDir(), load);

        BufferedImage portrait = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(1);
        for (int y = 0; y < 256; y++) for (int x = 0; x < 256; x++) portrait.setRGB(x, y, r.nextInt());
        float[] coeffs0 = new float[70];
        for (int i = 0; i < 70; i++) coeffs0[i] = (float) (r.nextGaussian() * 0.3);

        // warm-up (first calls pick convolution algorithms)
        run(renderer, portrait, coeffs0, 2, 2, r);
        System.out.println();
        System.out.println("| run | frames | batch | wall s/frame | CPU s/frame | peak RSS (VmHWM) | load avg |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int batch : new int[] {1, 2}) {
            ProcessStats.resetPeak();
            double[] s = run(renderer, portrait, coeffs0, shortFrames, batch, r);
            System.out.printf(
                    "| short | %d | %d | %.2f | %.2f | %d MiB | %s |%n",
                    shortFrames, batch, s[0] / shortFrames, s[1] / shortFrames, peakMiB(), load());
        }
        ProcessStats.resetPeak();
        double[] s = run(renderer, portrait, coeffs0, longFrames, 2, r);
        System.out.printf(
                "| long | %d | 2 | %.2f | %.2f | %d MiB | %s |%n",
                longFrames, s[0] / longFrames, s[1] / longFrames, peakMiB(), load());
        renderer.close();
        return 0;
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
