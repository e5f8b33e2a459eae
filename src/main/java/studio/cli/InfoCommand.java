package studio.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.face.Face;
import studio.face.FaceDebug;
import studio.face.FaceStage;
import studio.face.Portrait;
import studio.job.DiskSpace;
import studio.job.InputException;
import studio.job.OutputFile;
import studio.nn.NativeMemory;
import studio.weights.Checkpoints;
import studio.weights.ModelCatalog;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/** {@code info FILE...}: what the app sees in an image, an audio file or a checkpoint. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Print what the app sees in images, audio files and checkpoints.",
            "First (and with no FILE, only): the Java runtime, the install folder and how the native allocator was set."
        })
public final class InfoCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..*",
            paramLabel = "FILE",
            description = "Image, audio or checkpoint (.safetensors, .pth, .pth.tar) files.")
    List<Path> files = List.of();

    @Option(
            names = "--debug-faces",
            paramLabel = "PNG",
            description = "Draw the detected faces and landmarks of the (first) image into PNG.")
    Path debugFaces;

    @Option(names = "--landmarks", description = "Also print all 68 landmarks of each face.")
    boolean landmarks;

    @Mixin
    CheckpointDirOption checkpointDir;

    private boolean debugWritten;

    @Override
    public Integer call() {
        runtime();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new InputException(f, "file not found");
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            System.out.println(f + ":");
            if (name.endsWith(".safetensors")
                    || name.endsWith(".pth")
                    || name.endsWith(".pth.tar")
                    || name.endsWith(".ckpt")) checkpoint(f);
            else if (isImage(name)) image(f);
            else audio(f);
        }
        return 0;
    }

    /** What this process runs on: the installers' launchers are checked through these lines. */
    private static void runtime() {
        System.out.printf(
                "java %s (%s), %s %s%n",
                Runtime.version(),
                System.getProperty("java.home"),
                System.getProperty("os.name"),
                System.getProperty("os.arch"));
        System.out.println(
                "install folder: " + ModelCatalog.installDir().toAbsolutePath().normalize());
        System.out.println("native allocator: " + NativeMemory.describe());
    }

    private static boolean isImage(String name) {
        return name.matches(".*\\.(png|jpe?g|bmp|gif|webp|tiff?)$");
    }

    private void image(Path f) {
        BufferedImage img = Portrait.load(f);
        System.out.printf("  image %d x %d%n", img.getWidth(), img.getHeight());
        try (FaceStage stage = FaceStage.open(ModelCatalog.faceModels(checkpointDir.dir()))) {
            List<Face> faces = stage.detect(img);
            System.out.println("  " + (faces.isEmpty() ? "no face found" : FaceDebug.describe(faces)));
            if (!faces.isEmpty())
                System.out.println("  animated face: the largest ("
                        + Math.round(faces.getFirst().width()) + " px wide)");
            if (landmarks) System.out.print(FaceDebug.details(faces).indent(2));
            if (debugFaces != null && !debugWritten) {
                writePng(FaceDebug.draw(img, faces), debugFaces);
                debugWritten = true;
                System.out.println("  faces drawn into " + debugFaces);
            }
        }
    }

    /** Written to a temporary file and moved into place, as every output; never over one of the files examined. */
    private void writePng(BufferedImage img, Path out) {
        try (OutputFile target = OutputFile.create(out, files)) {
            try {
                ImageIO.write(img, "png", target.temp().toFile());
            } catch (IOException e) {
                throw new InputException(out, "cannot write (" + DiskSpace.explain(e) + ")");
            }
            target.commit();
        }
    }

    private static void audio(Path f) {
        try (FFmpegFrameGrabber g = AudioLoader.open(f, 0, 0)) {
            System.out.printf(
                    "  audio: %s, %d Hz, %d channel(s), %.2f s%n",
                    g.getAudioCodecName(), g.getSampleRate(), g.getAudioChannels(), g.getLengthInTime() / 1e6);
        } catch (FrameGrabber.Exception e) {
            throw new InputException(f, "unreadable audio");
        }
        AudioFeatures a = AudioLoader.load(f);
        System.out.printf(
                "  as the motion stage sees it: 16 kHz mono, %d video frames at 25 fps (%.2f s), mel %d x 80%n",
                a.numFrames(), a.seconds(), a.melFrames());
    }

    private static void checkpoint(Path f) {
        try (StateDict d = Checkpoints.open(f)) {
            describe(d);
            if (d instanceof SafeTensors st && !st.metadata().isEmpty())
                System.out.println("  metadata: " + st.metadata().keySet());
        }
    }

    /** Tensor count, parameters, element types and top-level key groups. */
    static void describe(StateDict d) {
        long params = 0;
        Map<String, Integer> dtypes = new TreeMap<>();
        Map<String, Integer> groups = new TreeMap<>();
        for (String k : d.keys()) {
            TensorInfo i = d.info(k);
            params += i.elements();
            dtypes.merge(i.dtype().name(), 1, Integer::sum);
            int dot = k.indexOf('.');
            groups.merge(dot < 0 ? k : k.substring(0, dot), 1, Integer::sum);
        }
        System.out.printf(
                "  checkpoint: %d tensors, %,d values, types %s%n", d.keys().size(), params, dtypes);
        System.out.println("  key groups (tensors): " + groups);
    }
}
