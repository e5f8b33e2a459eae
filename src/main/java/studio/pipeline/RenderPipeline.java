package studio.pipeline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.face.Face;
import studio.render.Engines;
import studio.render.FrameSink;
import studio.render.RenderInput;
import studio.render.TalkingHeadEngine;
import studio.video.Mp4Writer;

/**
 * The one render job behind the CLI and the app: audio → face → motion → render → enhance →
 * video. Frames stream from the engine to the writer; a failed or cancelled job leaves no output.
 */
public final class RenderPipeline {
    private RenderPipeline() {}

    public static RenderResult render(RenderOptions o, JobContext job) {
        long start = System.nanoTime();
        checkOutput(o.output());
        StageProgress audioStage = job.stage(Stage.AUDIO, 1);
        AudioFeatures audio = AudioLoader.load(o.audio());
        audioStage.advance(1);

        StageProgress faceStage = job.stage(Stage.FACE, 1);
        BufferedImage portrait = readPortrait(o.image());
        Face face = null;
        faceStage.advance(1);

        try (TalkingHeadEngine engine = Engines.select(o); LazyWriter writer = new LazyWriter(o, audio.numFrames(), engine, job)) {
            engine.render(new RenderInput(portrait, face, audio, o), writer, job);
            Path out = writer.finish();
            double secs = (System.nanoTime() - start) / 1e9;
            return new RenderResult(out, engine.id(), engine.describe(), audio.numFrames(), writer.width, writer.height, secs);
        }
    }

    /** Fails early (before minutes of work) when the output cannot be written. */
    static void checkOutput(Path output) {
        if (output == null) throw new StudioException("no output file given");
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new InputException(output, "the output folder does not exist");
        if (!Files.isWritable(dir)) throw new InputException(output, "the output folder is not writable");
        if (Files.isDirectory(output)) throw new InputException(output, "is a folder, expected a video file name");
    }

    public static BufferedImage readPortrait(Path file) {
        if (!Files.isRegularFile(file)) throw new InputException(file, "file not found");
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new InputException(file, "not an image (or an image format the app cannot read)");
            BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.createGraphics().drawImage(img, 0, 0, null);
            return bgr;
        } catch (IOException e) {
            throw new InputException(file, "not an image (" + e.getMessage() + ")");
        }
    }

    /** Opens the MP4 at the first frame, when the frame size is known; counts the ENCODE stage. */
    private static final class LazyWriter implements FrameSink, AutoCloseable {
        private final RenderOptions options;
        private final int frames;
        private final TalkingHeadEngine engine;
        private final JobContext job;
        private Mp4Writer writer;
        private StageProgress progress;
        int width, height;

        LazyWriter(RenderOptions options, int frames, TalkingHeadEngine engine, JobContext job) {
            this.options = options;
            this.frames = frames;
            this.engine = engine;
            this.job = job;
        }

        @Override
        public void accept(BufferedImage frame) {
            if (writer == null) {
                width = frame.getWidth() & ~1;
                height = frame.getHeight() & ~1;
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("comment", "Talking Head Studio; engine=" + engine.id() + "; " + engine.describe());
                meta.put("description", "engine=" + engine.id());
                writer = new Mp4Writer(options.output(), width, height, options.audio(), frames, meta);
                progress = job.stage(Stage.ENCODE, frames);
            }
            if (frame.getWidth() != width || frame.getHeight() != height) frame = evenCopy(frame);
            writer.accept(frame);
            progress.advance(1);
        }

        /** yuv420p needs even sizes: drop the last row/column of odd-sized pictures. */
        private BufferedImage evenCopy(BufferedImage frame) {
            BufferedImage c = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            c.createGraphics().drawImage(frame, 0, 0, null);
            return c;
        }

        Path finish() {
            if (writer == null) throw new StudioException("the engine produced no frames");
            return writer.finish();
        }

        @Override
        public void close() {
            if (writer != null) writer.close();
        }
    }
}
