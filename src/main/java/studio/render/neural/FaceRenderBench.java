package studio.render.neural;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import studio.bench.ProcessStats;
import studio.job.JobContext;
import studio.job.FrameSink;
import studio.nn.TorchEngine;

/**
 * Benchmark of the face renderer at 256: seconds per frame at batch 1 and 2, and peak resident
 * memory (VmHWM) for a short and a longer clip in the same process (the high-water mark is reset
 * between runs through /proc/self/clear_refs), printed as a table.
 *
 * <p>CPU seconds per frame are printed beside wall time: on a shared machine the wall time
 * includes waiting for other processes, the CPU time (all libtorch threads) much less so; on an
 * idle 2-core machine the wall time is about CPU time / 2.
 *
 * <p>Usage: {@code FaceRenderBench [checkpointDir|schema.json] [shortFrames] [longFrames]}; with a
 * checkpoint folder holding the released files they are used, otherwise full-size procedural
 * weights from the golden schema (same cost).
 */
public final class FaceRenderBench {
    public static void main(String[] args) throws Exception {
        Path source = args.length > 0 ? Path.of(args[0]) : ProcessStats.home("../shared/golden/sadtalker/schema.json");
        int shortFrames = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int longFrames = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int cores = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        FaceRenderer renderer = Files.isDirectory(source) && FaceRenderer.available(source, false, 256)
                ? FaceRenderer.load(source, false, 256)
                : FaceRenderer.open(ProceduralFaceWeights.generatorKp(source, "crop"), ProceduralFaceWeights.mapping(source, "crop"), false, 256);
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.printf("face renderer 256 (crop), %d cores, libtorch threads %d, weights: %s, load %.1f s%n", cores,
                TorchEngine.threads(), Files.isDirectory(source) ? source : "procedural", load);

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
            System.out.printf("| short | %d | %d | %.2f | %.2f | %d MiB | %s |%n", shortFrames, batch, s[0] / shortFrames, s[1] / shortFrames,
                    peakMiB(), load());
        }
        ProcessStats.resetPeak();
        double[] s = run(renderer, portrait, coeffs0, longFrames, 2, r);
        System.out.printf("| long | %d | 2 | %.2f | %.2f | %d MiB | %s |%n", longFrames, s[0] / longFrames, s[1] / longFrames, peakMiB(), load());
        renderer.close();
    }

    /** Wall and process CPU seconds for one clip of {@code frames} frames (source preparation included). */
    private static double[] run(FaceRenderer renderer, BufferedImage portrait, float[] c0, int frames, int batch, Random r) {
        float[][] coeffs = new float[frames][];
        for (int f = 0; f < frames; f++) {
            coeffs[f] = c0.clone();
            for (int i = 0; i < 70; i++) coeffs[f][i] += (float) (r.nextGaussian() * 0.1);
        }
        int[] count = {0};
        FrameSink sink = img -> count[0]++;
        long t = System.nanoTime();
        double cpu = ProcessStats.cpuSeconds();
        renderer.render(portrait, c0, coeffs, new FaceRenderer.Options(1.0, false, batch, List.of(), List.of(), List.of()), sink,
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
