package studio.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import studio.enhance.FaceRestorer;
import studio.enhance.Gfpgan;
import studio.face.Face;
import studio.job.InputException;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.nn.TorchEngine;
import studio.weights.Checkpoint;
import studio.weights.Checkpoints;
import studio.weights.ModelCatalog;
import studio.weights.ProceduralWeights;
import studio.weights.StateDict;
import studio.weights.WeightSchema;

/**
 * Seconds per frame of GFPGAN restoration at 512 on this machine, and peak memory for a short and a
 * long run (memory must stay flat). Weights: {@code GFPGANv1.4.pth} from the checkpoint folder, a
 * file given with {@code --checkpoint}, or full-size procedural ones from a golden schema
 * ({@code --schema}; same cost).
 */
@Command(
        name = "gfpgan",
        mixinStandardHelpOptions = true,
        description =
                "GFPGAN v1.4 restoration at 512: seconds per frame and peak memory, network alone and the whole stage.")
public final class GfpganBench implements Callable<Integer> {
    @Option(
            names = "--checkpoint",
            paramLabel = "FILE",
            description = "The GFPGAN v1.4 checkpoint to use (default: the one in --checkpoint-dir).")
    Path checkpoint;

    @Mixin
    BenchWeights weights;

    @Option(
            names = "--short",
            defaultValue = "3",
            description = "Frames of the short runs (default: ${DEFAULT-VALUE}).")
    int shortRun;

    @Option(names = "--long", defaultValue = "20", description = "Frames of the long run (default: ${DEFAULT-VALUE}).")
    int longRun;

    @Option(
            names = "--batch",
            defaultValue = "2",
            description = "Faces per batch in the batched runs (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BenchCompute computes;

    @Override
    public Integer call() throws IOException {
        if (shortRun < 1 || longRun < 1 || batch < 1)
            throw new InputException("--short, --long and --batch must be at least 1");
        boolean procedural = weights.procedural();
        if (!procedural && checkpoint == null) {
            checkpoint = Checkpoint.GFPGAN.in(weights.checkpointDir());
            if (!Files.isRegularFile(checkpoint)) throw weights.missing(Checkpoint.GFPGAN.file());
        }
        if (!procedural && !Files.isRegularFile(checkpoint))
            throw new InputException(checkpoint, "checkpoint not found");
        int threads = Runtime.getRuntime().availableProcessors();
        TorchEngine.useAllCores();
        System.out.printf(
                "GFPGAN v1.4 restoration benchmark: %d cores, torch intra-op threads %d, %s weights, load average %s%n",
                threads,
                TorchEngine.threads(),
                procedural ? "procedural" : checkpoint.toString(),
                ProcessStats.loadAverage());
        BufferedImage frame = frame512();
        Face face = astronautFace512();
        List<String> rows = new ArrayList<>();
        for (Compute compute : computes.resolve()) {
            String where = compute.deviceId() + ", " + compute.precision().id();
            long t0 = System.nanoTime();
            NDManager base = compute.newManager();
            Gfpgan net;
            if (procedural) net = new Gfpgan(new ProceduralWeights("", WeightSchema.read(weights.schema())), base);
            else
                try (StateDict dict = Checkpoints.open(checkpoint)) {
                    net = new Gfpgan(Gfpgan.weightsOf(dict), base);
                }
            System.out.printf(
                    "%s: load %.1f s, peak RSS %s%n", where, (System.nanoTime() - t0) / 1e9, ProcessStats.rss("VmHWM"));

            // network alone, one aligned face (read back: a GPU's queued work is inside the timing)
            double netSeconds, netCpu;
            try (Autocast.Scope cast = compute.autocast()) {
                try (NDManager m = base.newSubManager()) {
                    net.restore(m.randomUniform(-1, 1, new Shape(1, 3, 512, 512)))
                            .toFloatArray(); // warm-up
                }
                long tn = System.nanoTime();
                double cn = ProcessStats.cpuSeconds();
                int netRuns = 2;
                for (int i = 0; i < netRuns; i++)
                    try (NDManager m = base.newSubManager()) {
                        net.restore(m.randomUniform(-1, 1, new Shape(1, 3, 512, 512)))
                                .toFloatArray();
                    }
                netSeconds = (System.nanoTime() - tn) / 1e9 / netRuns;
                netCpu = (ProcessStats.cpuSeconds() - cn) / netRuns;
            }

            // the whole stage on 512×512 frames: align, restore, paste back
            rows.add(row(where + ", network only (aligned 512 face, batch 1)", netSeconds, netCpu));
            try (FaceRestorer restorer = FaceRestorer.withNetwork(net, 1.0, 1, face, base, compute)) {
                double[] s1 = run(restorer, frame, shortRun, 1);
                rows.add(row(where + ", stage, batch 1, " + shortRun + " frames", s1[0], s1[1]));
                double[] sb = run(restorer, frame, shortRun, batch);
                rows.add(
                        row(where + ", stage, batch " + batch + ", " + shortRun + " frames (short run)", sb[0], sb[1]));
                double[] sl = run(restorer, frame, longRun, batch);
                rows.add(row(where + ", stage, batch " + batch + ", " + longRun + " frames (long run)", sl[0], sl[1]));
            }
        }
        System.out.println();
        System.out.printf("load average at the end: %s%n", ProcessStats.loadAverage());
        System.out.println(
                "| run (512×512 frames) | wall s / frame | CPU s / frame | peak RSS (VmHWM) after it | RSS now |");
        System.out.println("| --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        System.out.println(
                "| reference: SadTalker --enhancer gfpgan on CPU (users' reports) | 1.35 | | 32 GB RAM full for a 1-minute clip (16 min) | |");
        return 0;
    }

    private static String row(String what, double wall, double cpu) {
        String r = String.format(
                "| %s | %.2f | %.2f | %s | %s |",
                what, wall, cpu, ProcessStats.rss("VmHWM"), ProcessStats.rss("VmRSS"));
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
        Path sample = ModelCatalog.installDir().resolve("samples/astronaut.png");
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
        for (int i = 0; i < 68; i++) {
            lm[2 * i] = 256;
            lm[2 * i + 1] = 240;
        }
        for (int k = 0; k < 5; k++)
            for (int i : at[k]) {
                lm[2 * i] = five[k][0];
                lm[2 * i + 1] = five[k][1];
            }
        return new Face(150, 120, 200, 220, 1, lm);
    }
}
