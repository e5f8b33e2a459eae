package studio.enhance;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import studio.bench.ProcessStats;
import studio.face.Face;
import studio.nn.TorchEngine;
import studio.weights.Checkpoints;
import studio.weights.ProceduralWeights;
import studio.weights.StateDict;

/**
 * Seconds per frame of GFPGAN restoration at 512 on this machine, and peak memory for a short and a
 * long run (memory must stay flat). Procedural weights unless a checkpoint is given (same cost).
 *
 * <pre>java -cp ... studio.enhance.GfpganBenchmark [--checkpoint GFPGANv1.4.pth] [--short 3] [--long 20] [--batch 2]</pre>
 */
public final class GfpganBenchmark {
    public static void main(String[] args) throws IOException {
        Path checkpoint = null;
        int shortRun = 3, longRun = 20, batch = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--checkpoint" -> checkpoint = Path.of(args[++i]);
                case "--short" -> shortRun = Integer.parseInt(args[++i]);
                case "--long" -> longRun = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        TorchEngine.useAllCores();
        System.out.printf("GFPGAN v1.4 restoration benchmark: %d cores, torch intra-op threads %d, %s weights, load average %s%n",
                threads, TorchEngine.threads(), checkpoint == null ? "procedural" : checkpoint.toString(), ProcessStats.loadAverage());
        long t0 = System.nanoTime();
        NDManager base = NDManager.newBaseManager();
        Gfpgan net;
        if (checkpoint == null) net = new Gfpgan(new ProceduralWeights("", Gfpgan.expectedShapes()), base);
        else try (StateDict dict = Checkpoints.open(checkpoint)) {
            net = new Gfpgan(Gfpgan.weightsOf(dict), base);
        }
        System.out.printf("load: %.1f s, peak RSS %s%n", (System.nanoTime() - t0) / 1e9, ProcessStats.rss("VmHWM"));

        // network alone, one aligned face
        try (NDManager m = base.newSubManager()) {
            net.restore(m.randomUniform(-1, 1, new Shape(1, 3, 512, 512))); // warm-up
        }
        long tn = System.nanoTime();
        double cn = ProcessStats.cpuSeconds();
        int netRuns = 2;
        for (int i = 0; i < netRuns; i++)
            try (NDManager m = base.newSubManager()) {
                net.restore(m.randomUniform(-1, 1, new Shape(1, 3, 512, 512))).toFloatArray();
            }
        double netSeconds = (System.nanoTime() - tn) / 1e9 / netRuns, netCpu = (ProcessStats.cpuSeconds() - cn) / netRuns;

        // the whole stage on 512×512 frames: align, restore, paste back
        BufferedImage frame = frame512();
        Face face = astronautFace512();
        List<String> rows = new ArrayList<>();
        rows.add(row("network only (aligned 512 face, batch 1)", netSeconds, netCpu));
        try (FaceRestorer restorer = FaceRestorer.withNetwork(net, 1.0, face)) {
            double[] s1 = run(restorer, frame, shortRun, 1);
            rows.add(row("stage, batch 1, " + shortRun + " frames", s1[0], s1[1]));
            double[] sb = run(restorer, frame, shortRun, batch);
            rows.add(row("stage, batch " + batch + ", " + shortRun + " frames (short run)", sb[0], sb[1]));
            double[] sl = run(restorer, frame, longRun, batch);
            rows.add(row("stage, batch " + batch + ", " + longRun + " frames (long run)", sl[0], sl[1]));
        } finally {
            base.close();
        }
        System.out.println();
        System.out.printf("load average at the end: %s%n", ProcessStats.loadAverage());
        System.out.println("| run (512×512 frames) | wall s / frame | CPU s / frame | peak RSS (VmHWM) after it | RSS now |");
        System.out.println("| --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        System.out.println("| reference: SadTalker --enhancer gfpgan on CPU (users' reports) | 1.35 | | 32 GB RAM full for a 1-minute clip (16 min) | |");
    }

    private static String row(String what, double wall, double cpu) {
        String r = String.format("| %s | %.2f | %.2f | %s | %s |", what, wall, cpu, ProcessStats.rss("VmHWM"), ProcessStats.rss("VmRSS"));
        System.out.println(r); // as it is measured
        return r;
    }

    /** {wall seconds per frame, CPU seconds per frame}. */
    private static double[] run(FaceRestorer restorer, BufferedImage frame, int frames, int batch) {
        long t = System.nanoTime();
        double c = ProcessStats.cpuSeconds();
        int done = 0;
        while (done < frames) {
            int n = Math.min(batch, frames - done);
            List<BufferedImage> in = new ArrayList<>();
            for (int i = 0; i < n; i++) in.add(frame);
            restorer.restore(in);
            done += n;
        }
        return new double[] {(System.nanoTime() - t) / 1e9 / frames, (ProcessStats.cpuSeconds() - c) / frames};
    }

    /** A 512 frame: the sample portrait when present, else a grey frame (the cost is the same). */
    private static BufferedImage frame512() throws IOException {
        BufferedImage img = new BufferedImage(512, 512, BufferedImage.TYPE_3BYTE_BGR);
        Path sample = ProcessStats.home("samples/astronaut.png");
        if (Files.isRegularFile(sample)) {
            var g = img.createGraphics();
            g.drawImage(ImageIO.read(sample.toFile()), 0, 0, 512, 512, 96, 0, 352, 256, null);
            g.dispose();
        }
        return img;
    }

    /** The sample portrait's face (hand-annotated five points) in the 512 frame. */
    private static Face astronautFace512() {
        double[][] five = {{215.5, 201}, {300.5, 206}, {253, 251}, {214, 282.5}, {295.5, 282.5}};
        double[] lm = new double[136];
        int[][] at = {{36, 37, 38, 39, 40, 41}, {42, 43, 44, 45, 46, 47}, {30}, {48}, {54}};
        for (int i = 0; i < 68; i++) { lm[2 * i] = 256; lm[2 * i + 1] = 240; }
        for (int k = 0; k < 5; k++) for (int i : at[k]) { lm[2 * i] = five[k][0]; lm[2 * i + 1] = five[k][1]; }
        return new Face(150, 120, 200, 220, 1, lm);
    }
}
