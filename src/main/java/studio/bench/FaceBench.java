package studio.bench;

import com.sun.management.OperatingSystemMXBean;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.face.CropGeometry;
import studio.face.Face;
import studio.face.FaceCrop;
import studio.face.FaceStage;
import studio.face.PasteBack;
import studio.face.Portrait;
import studio.face.Preprocess;
import studio.job.InputException;
import studio.weights.ModelCatalog;

/** Prints the time of face detection + landmarks per picture and of paste-back per 1080p frame. */
@Command(
        name = "face",
        mixinStandardHelpOptions = true,
        description = "Face stage: detection + landmarks per picture, crop and paste-back per 1080p frame.")
public final class FaceBench implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CHECKPOINTS",
            description = "Folder with the face-api models (default: the checkpoint folder, else the bundled one).")
    Path checkpoints = ModelCatalog.faceModels(ModelCatalog.defaultDir());

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "PORTRAIT",
            description = "Portrait (default: samples/astronaut.png of the install folder).")
    Path portrait = ModelCatalog.installDir().resolve("samples/astronaut.png");

    @Option(
            names = "--runs",
            defaultValue = "10",
            description = "Timed runs per step; the median is printed (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() {
        if (runs < 1) throw new InputException("--runs must be at least 1");
        BufferedImage small = Portrait.load(portrait);
        BufferedImage hd = frame1080(small);
        System.out.printf(
                Locale.ROOT,
                "%-66s %9s %9s%n",
                "step (" + Runtime.getRuntime().availableProcessors() + " cores, median of " + runs + ")",
                "wall ms",
                "cpu ms");
        for (FaceStage.Detector d : FaceStage.Detector.values()) {
            boolean tiny = d == FaceStage.Detector.TINY;
            try (FaceStage stage = FaceStage.open(checkpoints, d, tiny)) {
                String name = tiny ? "tiny detector + tiny landmarks" : "SSD MobileNet v1 + landmarks";
                row(
                        "detect + landmarks, " + name + ", " + small.getWidth() + "x" + small.getHeight(),
                        time(runs, () -> stage.detect(small)));
                row("detect + landmarks, " + name + ", 1920x1080", time(runs, () -> stage.detect(hd)));
            }
        }
        Face face;
        try (FaceStage stage = FaceStage.open(checkpoints)) {
            face = stage.primaryFace(hd, Path.of("1080p frame"));
        }
        for (Preprocess mode : new Preprocess[] {Preprocess.FULL, Preprocess.EXTFULL}) {
            for (int size : new int[] {256, 512}) {
                FaceCrop.CropResult crop = FaceCrop.crop(hd, face, mode, size);
                for (PasteBack.Blend blend : PasteBack.Blend.values()) {
                    try (PasteBack paste = PasteBack.create(hd, crop.geometry(), blend)) {
                        CropGeometry g = crop.geometry();
                        row(
                                String.format(
                                        Locale.ROOT,
                                        "paste-back 1080p, %s %d (region %dx%d), %s",
                                        mode.id(),
                                        size,
                                        g.regionWidth(),
                                        g.regionHeight(),
                                        blend.name().toLowerCase(Locale.ROOT)),
                                time(runs * 2, () -> paste.paste(crop.image())));
                    }
                }
            }
        }
        return 0;
    }

    /** The portrait scaled to 1080 px high in the middle of a 1920x1080 frame. */
    static BufferedImage frame1080(BufferedImage portrait) {
        BufferedImage hd = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = hd.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        int w = portrait.getWidth() * 1080 / portrait.getHeight();
        g.drawImage(portrait, (1920 - w) / 2, 0, w, 1080, null);
        g.dispose();
        return hd;
    }

    private static void row(String what, double[] wallAndCpu) {
        System.out.printf(Locale.ROOT, "%-66s %9.1f %9.1f%n", what, wallAndCpu[0], wallAndCpu[1]);
    }

    /** Median wall time and median process CPU time (all threads, libtorch's included) per run. */
    private static double[] time(int runs, Runnable r) {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 3; i++) r.run();
        double[] wall = new double[runs], cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c = os.getProcessCpuTime(), s = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {wall[runs / 2], cpu[runs / 2]};
    }
}
