package studio.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.pipeline.InputException;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/** {@code info FILE...}: what the app sees in an image, an audio file or a checkpoint. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Print what the app sees in images, audio files and checkpoints.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image, audio or checkpoint (.safetensors, .pth, .pth.tar) files.")
    List<Path> files;

    @Override
    public Integer call() {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new InputException(f, "file not found");
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            System.out.println(f + ":");
            if (name.endsWith(".safetensors")) checkpoint(f);
            else if (isImage(name)) image(f);
            else audio(f);
        }
        return 0;
    }

    private static boolean isImage(String name) {
        return name.matches(".*\\.(png|jpe?g|bmp|gif|webp|tiff?)$");
    }

    private static void image(Path f) {
        BufferedImage img = studio.face.Portrait.load(f);
        System.out.printf("  image %d x %d%n", img.getWidth(), img.getHeight());
    }

    private static void audio(Path f) {
        try (FFmpegFrameGrabber g = AudioLoader.open(f, 0, 0)) {
            System.out.printf("  audio: %s, %d Hz, %d channel(s), %.2f s%n", g.getAudioCodecName(), g.getSampleRate(),
                    g.getAudioChannels(), g.getLengthInTime() / 1e6);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new InputException(f, "unreadable audio");
        }
        AudioFeatures a = AudioLoader.load(f);
        System.out.printf("  as the motion stage sees it: 16 kHz mono, %d video frames at 25 fps (%.2f s), mel %d x 80%n",
                a.numFrames(), a.seconds(), a.melFrames());
    }

    private static void checkpoint(Path f) {
        try (SafeTensors st = SafeTensors.open(f)) {
            describe(st);
            if (!st.metadata().isEmpty()) System.out.println("  metadata: " + st.metadata().keySet());
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
        System.out.printf("  checkpoint: %d tensors, %,d values, types %s%n", d.keys().size(), params, dtypes);
        System.out.println("  key groups (tensors): " + groups);
    }
}
