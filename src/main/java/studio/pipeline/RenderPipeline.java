package studio.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.enhance.FaceRestorer;
import studio.enhance.RestoringSink;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Portrait;
import studio.image.Images;
import studio.job.FrameQueue;
import studio.job.FrameSink;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.ModelPool;
import studio.job.OutputFile;
import studio.job.Stage;
import studio.job.StageProgress;
import studio.job.StudioException;
import studio.nn.Compute;
import studio.render.RenderInput;
import studio.render.TalkingHeadEngine;
import studio.render.TalkingHeadEngine.Capability;
import studio.video.Mp4Writer;
import studio.weights.ModelCatalog;

/**
 * The one render job behind the CLI and the app: audio → face → motion → render → enhance →
 * video. Frames stream from the engine to the writer; a failed or cancelled job leaves no output.
 */
public final class RenderPipeline {
    /** Frames waiting for the encoder at most: bounded memory (8 full-HD frames ≈ 50 MB). */
    private static final int ENCODER_QUEUE = 8;

    private RenderPipeline() {}

    public static RenderResult render(RenderOptions o, JobContext job) {
        long start = System.nanoTime();
        checkOutputs(o);
        StageProgress audioStage = job.stage(Stage.AUDIO, 1);
        AudioFeatures audio = AudioLoader.load(o.audio());
        audioStage.advance(1);

        StageProgress faceStage = job.stage(Stage.FACE, 1);
        BufferedImage portrait = Portrait.load(o.image());
        // One face stage per job: the portrait, GFPGAN's first frame and a reference video share its
        // models; it is given back at once when nothing after the portrait needs it.
        Path faceModels = ModelCatalog.faceModels(o.checkpointDir());
        ModelPool.Lease<FaceStage> faceLease =
                job.models().lease("face-stage " + faceModels.toAbsolutePath(), () -> FaceStage.open(faceModels));
        FaceStage faces = faceLease.get();
        try {
            Face face = faces.primaryFace(portrait, o.image(), job::warn);
            faceStage.advance(1);
            if (o.enhancer() != RenderOptions.Enhancer.GFPGAN && o.refPose() == null && o.refEyeblink() == null) {
                faceLease.close();
                faces = null;
            }
            // resolving loads libtorch: only when a network will run
            Compute compute = Engines.runsNetworks(o) ? o.compute().resolve() : null;
            try (TalkingHeadEngine engine = Engines.select(o, compute == null ? Compute.cpu() : compute);
                    LazyWriter writer = new LazyWriter(o, audio.numFrames(), engine, compute, job);
                    // encoding on its own thread: the renderer (or GFPGAN) goes on with the next frames
                    FrameQueue encoder = new FrameQueue(writer, ENCODER_QUEUE, "encoder");
                    RestoringSink restoring = o.enhancer() == RenderOptions.Enhancer.GFPGAN
                            ? restoringSink(o, audio.numFrames(), faces, encoder, compute, job)
                            : null) {
                refuseIgnoredOptions(o, engine);
                engine.render(
                        new RenderInput(o.image(), portrait, face, audio, faces),
                        restoring != null ? restoring : encoder,
                        job);
                if (restoring != null) restoring.finish();
                encoder.finish();
                Path out = writer.finish();
                double secs = (System.nanoTime() - start) / 1e9;
                return new RenderResult(
                        out,
                        engine.id(),
                        engine.describe(),
                        audio.numFrames(),
                        writer.width,
                        writer.height,
                        secs,
                        compute == null ? null : compute.describe());
            }
        } finally {
            faceLease.close(); // given back once (a second close does nothing)
        }
    }

    /**
     * GFPGAN between the engine and the writer: the face is found once, on the first frame, and its
     * landmarks reused (a talking head barely moves; see docs/enhance.md).
     */
    private static RestoringSink restoringSink(
            RenderOptions o, int frames, FaceStage faces, FrameSink downstream, Compute compute, JobContext job) {
        FaceRestorer.locate(o.checkpointDir()); // fails now, before rendering, when the checkpoint is missing
        StageProgress enhance = job.stage(Stage.ENHANCE, frames);
        FrameSink counted = frame -> {
            downstream.accept(frame);
            enhance.advance(1);
        };
        return new RestoringSink(
                first -> FaceRestorer.open(
                        o.checkpointDir(),
                        o.enhancerStrength(),
                        o.enhancerUpscale(),
                        faces.primaryFace(first, o.image()),
                        false,
                        compute),
                o.batchSize(),
                counted);
    }

    /** Options the chosen engine would silently ignore are refused, naming them and why that engine was chosen. */
    private static void refuseIgnoredOptions(RenderOptions o, TalkingHeadEngine engine) {
        Set<Capability> can = engine.capabilities();
        List<String> ignored = new ArrayList<>();
        if (o.saveCoeffs() != null && !can.contains(Capability.COEFFICIENT_EXPORT)) ignored.add("--save-coeffs");
        if ((o.refPose() != null || o.refEyeblink() != null) && !can.contains(Capability.REFERENCE_VIDEOS))
            ignored.add("--ref-pose/--ref-eyeblink");
        if ((!o.inputYaw().isEmpty()
                        || !o.inputPitch().isEmpty()
                        || !o.inputRoll().isEmpty())
                && !can.contains(Capability.HEAD_ANGLE_KEYFRAMES)) ignored.add("--input-yaw/pitch/roll");
        if (!ignored.isEmpty())
            throw new StudioException(String.join(", ", ignored) + " need the sadtalker engine (" + engine.id()
                    + " engine: " + Engines.reason(o) + ")");
    }

    /** Fails early (before minutes of work) when an output cannot be written or would destroy an input. */
    static void checkOutputs(RenderOptions o) {
        Path video = OutputFile.check(o.output(), o.inputs());
        if (o.saveCoeffs() != null) {
            List<Path> notThese = new ArrayList<>(o.inputs());
            notThese.add(o.output());
            if (OutputFile.check(o.saveCoeffs(), notThese).equals(video))
                throw new InputException(
                        o.saveCoeffs(), "is also the video output; choose another name for the coefficients");
        }
    }

    /** Opens the MP4 at the first frame, when the frame size is known; counts the ENCODE stage. */
    private static final class LazyWriter implements FrameSink, AutoCloseable {
        private final RenderOptions options;
        private final int frames;
        private final TalkingHeadEngine engine;
        private final Compute compute;
        private final JobContext job;
        private Mp4Writer writer;
        private StageProgress progress;
        int width, height;

        LazyWriter(RenderOptions options, int frames, TalkingHeadEngine engine, Compute compute, JobContext job) {
            this.options = options;
            this.frames = frames;
            this.engine = engine;
            this.compute = compute;
            this.job = job;
        }

        @Override
        public void accept(BufferedImage frame) {
            if (writer == null) {
                width = frame.getWidth() & ~1;
                height = frame.getHeight() & ~1;
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put(
                        "comment",
                        "Talking Head Studio; engine=" + engine.id() + "; " + engine.describe()
                                + (compute == null ? "" : "; " + compute.tag()));
                meta.put("description", "engine=" + engine.id());
                writer = new Mp4Writer(options.output(), width, height, options.audio(), frames, meta);
                progress = job.stage(Stage.ENCODE, frames);
            }
            // yuv420p needs even sizes: drop the last row/column of odd-sized pictures
            if (frame.getWidth() != width || frame.getHeight() != height) frame = Images.bgr(frame, width, height);
            writer.accept(frame);
            progress.advance(1);
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
