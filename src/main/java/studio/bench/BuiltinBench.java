package studio.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Portrait;
import studio.face.Preprocess;
import studio.job.JobContext;
import studio.motion.LandmarkMotionOptions;
import studio.render.RenderInput;
import studio.render.builtin.BuiltinEngine;
import studio.video.Mp4Writer;
import studio.weights.ModelCatalog;

/**
 * Frames per second of the built-in engine on this machine, rendering only and end to end
 * (motion + rendering + H.264/AAC encoding with the app's MP4 writer). Face detection runs once
 * per video and is reported apart.
 */
@Command(
        name = "builtin",
        mixinStandardHelpOptions = true,
        description = "Built-in engine: fps per crop mode and size, rendering only and with H.264 encoding.")
public final class BuiltinBench implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "PORTRAIT",
            description = "Portrait (default: samples/astronaut.png of the install folder).")
    Path image = ModelCatalog.installDir().resolve("samples/astronaut.png");

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "AUDIO",
            description = "Speech (default: samples/speech.wav of the install folder).")
    Path audioFile = ModelCatalog.installDir().resolve("samples/speech.wav");

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "CHECKPOINTS",
            description = "Folder with the face-api models (default: the checkpoint folder, else the bundled one).")
    Path checkpoints = ModelCatalog.faceModels(ModelCatalog.defaultDir());

    private record Case(String name, Preprocess mode, int size, boolean fullHd) {}

    @Override
    public Integer call() throws Exception {
        AudioFeatures audio = AudioLoader.load(audioFile);
        BufferedImage portrait = Portrait.load(image);
        BufferedImage hd = fullHd(portrait);
        Face face, hdFace;
        long detectPortrait, detectHd;
        try (FaceStage faces = FaceStage.open(checkpoints)) {
            long t0 = System.nanoTime();
            face = faces.primaryFace(portrait, image);
            detectPortrait = System.nanoTime() - t0;
            t0 = System.nanoTime();
            hdFace = faces.primaryFace(hd, image);
            detectHd = System.nanoTime() - t0;
        }
        List<Case> cases = List.of(
                new Case("crop 256", Preprocess.CROP, 256, false),
                new Case("crop 512", Preprocess.CROP, 512, false),
                new Case("full 256 @1920x1080", Preprocess.FULL, 256, true),
                new Case("full 512 @1920x1080", Preprocess.FULL, 512, true));
        Path tmp = Files.createTempDirectory("builtin-bench");
        System.out.printf(
                "Built-in engine, %d frames (%.1f s of audio), %d CPU cores, Java %s%n",
                audio.numFrames(), audio.seconds(), Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(
                "face detection once per video: %.0f ms (%dx%d), %.0f ms (1920x1080)%n%n",
                detectPortrait / 1e6, portrait.getWidth(), portrait.getHeight(), detectHd / 1e6);
        System.out.printf(
                "| %-20s | %-9s | %-18s | %-24s |%n", "mode", "output", "render only (fps)", "with MP4 encoding (fps)");
        System.out.println("|----------------------|-----------|--------------------|--------------------------|");
        // warm-up: JIT and native libraries
        render(new RenderInput(image, portrait, face, audio), options(Preprocess.CROP, 256), null, audioFile);
        for (Case c : cases) {
            RenderInput in = new RenderInput(image, c.fullHd() ? hd : portrait, c.fullHd() ? hdFace : face, audio);
            BuiltinEngine.Options o = options(c.mode(), c.size());
            double renderOnly = render(in, o, null, audioFile);
            double withEncoding = render(in, o, tmp.resolve("bench.mp4"), audioFile);
            int w = c.mode().pastesBack() ? in.portrait().getWidth() : c.size(),
                    h = c.mode().pastesBack() ? in.portrait().getHeight() : c.size();
            System.out.printf("| %-20s | %-9s | %18.1f | %24.1f |%n", c.name(), w + "x" + h, renderOnly, withEncoding);
        }
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(tmp);
        return 0;
    }

    /** Frames per second of one render, into the MP4 writer when {@code mp4} is given, else discarded. */
    private static double render(RenderInput in, BuiltinEngine.Options o, Path mp4, Path audioFile) {
        int n = in.audio().numFrames();
        long t0 = System.nanoTime();
        try (BuiltinEngine engine = new BuiltinEngine(o)) {
            if (mp4 == null) {
                engine.render(in, frame -> {}, JobContext.quiet());
            } else {
                int w = o.preprocess().pastesBack() ? in.portrait().getWidth() : o.size();
                int h = o.preprocess().pastesBack() ? in.portrait().getHeight() : o.size();
                try (Mp4Writer writer = new Mp4Writer(mp4, w, h, audioFile, n, Map.of("comment", engine.describe()))) {
                    engine.render(in, writer, JobContext.quiet());
                    writer.finish();
                }
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static BuiltinEngine.Options options(Preprocess mode, int size) {
        return new BuiltinEngine.Options(LandmarkMotionOptions.defaults(), mode, size);
    }

    /** The portrait enlarged to 1080 rows and centred on a 1920x1080 canvas: a full-HD picture to paste back into. */
    private static BufferedImage fullHd(BufferedImage portrait) {
        BufferedImage out = new BufferedImage(1920, 1080, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(0xC8C3BE));
        g.fillRect(0, 0, 1920, 1080);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int w = portrait.getWidth() * 1080 / portrait.getHeight();
        g.drawImage(portrait, (1920 - w) / 2, 0, w, 1080, null);
        g.dispose();
        return out;
    }
}
