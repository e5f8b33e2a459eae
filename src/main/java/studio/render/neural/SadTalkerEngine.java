package studio.render.neural;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Preprocess;
import studio.job.FrameSink;
import studio.job.JobContext;
import studio.job.ModelPool;
import studio.job.Stage;
import studio.job.StageProgress;
import studio.motion.CoefficientFile;
import studio.motion.CoefficientGenerator;
import studio.motion.MotionOptions;
import studio.motion.NetRecon;
import studio.motion.ReferenceVideo;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.render.Framing;
import studio.render.RenderInput;
import studio.render.TalkingHeadEngine;
import studio.weights.Checkpoint;

/**
 * SadTalker as its inference script runs it: the portrait's 3DMM coefficients (net_recon on the
 * crop), audio → F × 70 coefficients (audio2exp + pose CVAE), then the face renderer, with full
 * and extfull modes pasted back into the original picture.
 */
public final class SadTalkerEngine implements TalkingHeadEngine {
    /**
     * SadTalker's inference options.
     *
     * @param checkpointDir where the released checkpoints are
     * @param preprocess    how the portrait is framed (full/extfull paste the face back)
     * @param size          256 or 512: which checkpoints and render size
     * @param poseStyle     0..45, the pose CVAE's style
     * @param blink         random eye blinks
     * @param render        the face renderer's settings (expression scale, still, batch, head angles)
     * @param refPose       reference video for the head pose, or null
     * @param refEyeblink   reference video for the blinks, or null
     * @param saveCoeffs    where to write the coefficients too, or null
     * @param compute       the device and precision the networks run on
     */
    public record Options(
            Path checkpointDir,
            Preprocess preprocess,
            int size,
            int poseStyle,
            boolean blink,
            FaceRenderer.Options render,
            Path refPose,
            Path refEyeblink,
            Path saveCoeffs,
            Compute compute) {
        public Options {
            if (compute == null) compute = Compute.cpu();
        }
    }

    private final Path dir;
    private final Options options;

    public SadTalkerEngine(Options options) {
        this.dir = options.checkpointDir();
        this.options = options;
    }

    /** Whether every checkpoint this engine needs for a mode and size is in the checkpoint folder. */
    public static boolean available(Path dir, Preprocess preprocess, int size) {
        return Files.isRegularFile(Checkpoint.sadTalker(size).in(dir))
                && FaceRenderer.available(dir, preprocess.pastesBack(), size);
    }

    /** What is missing, for the message when the user asked for this engine. */
    public static String missing(Path dir, Preprocess preprocess, int size) {
        Checkpoint main = Checkpoint.sadTalker(size), mapping = Checkpoint.mapping(preprocess.pastesBack());
        return "the sadtalker engine needs " + main.in(dir) + " and " + mapping.in(dir)
                + " (run: studio models download " + main.file() + " " + mapping.file() + "; see: studio models list)";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public String id() {
        return "sadtalker";
    }

    @Override
    public String describe() {
        return "SadTalker neural engine: "
                + Checkpoint.sadTalker(options.size()).file() + " + "
                + Checkpoint.mapping(options.preprocess().pastesBack()).file();
    }

    @Override
    public void render(RenderInput input, FrameSink sink, JobContext job) {
        Options o = options;
        boolean full = o.preprocess().pastesBack();
        int frames = input.audio().numFrames();
        try (Framing framing = Framing.of(input, o.preprocess(), o.size());
                ModelPool.Lease<CoefficientGenerator> motionModels = job.models()
                        .lease(
                                "sadtalker-motion " + o.size() + " "
                                        + o.compute().deviceId() + " " + dir.toAbsolutePath(),
                                () -> CoefficientGenerator.open(
                                        dir, o.size(), o.compute().device()))) {
            CoefficientGenerator motion = motionModels.get();
            StageProgress motionStage = job.stage(Stage.MOTION, frames);
            Face cropFace = new Face(
                    0,
                    0,
                    framing.picture().getWidth(),
                    framing.picture().getHeight(),
                    input.face().score(),
                    framing.landmarks());
            float[] source257, coeffs;
            double[] trans;
            // net_recon and audio2coeff run in the job's precision too (bf16 on AMX; fp16 on a GPU)
            try (Autocast.Scope cast = o.compute().autocast()) {
                CoefficientGenerator.FaceReconstruction recon = motion.faceReconstruction(framing.picture(), cropFace);
                source257 = recon.coefficients();
                trans = recon.alignment();
                // expression scale is applied once, by the renderer (as SadTalker's facerender batch does)
                MotionOptions mo = new MotionOptions(
                        o.poseStyle(),
                        o.blink(),
                        1.0,
                        reference(o.refPose(), input.faces(), motion, job),
                        reference(o.refEyeblink(), input.faces(), motion, job),
                        0L);
                coeffs = motion.generate(input.audio(), source257, mo);
            }
            if (o.saveCoeffs() != null) CoefficientFile.write(o.saveCoeffs(), coeffs, source257);
            motionStage.advance(frames);

            float[] source = sourceSemantics(source257, trans, full);
            float[][] rows = new float[frames][];
            for (int f = 0; f < frames; f++) rows[f] = Arrays.copyOfRange(coeffs, f * 70, f * 70 + 70);
            try (ModelPool.Lease<FaceRenderer> renderers = job.models()
                    .lease(
                            "sadtalker-renderer " + o.size() + (full ? " full " : " crop ")
                                    + o.compute().key() + " " + dir.toAbsolutePath(),
                            () -> FaceRenderer.load(dir, full, o.size(), o.compute()))) {
                renderers
                        .get()
                        .render(
                                framing.picture(),
                                source,
                                rows,
                                o.render(),
                                frame -> sink.accept(framing.compose(frame)),
                                job);
            }
        }
    }

    /** SadTalker's source semantics: the 70 motion coefficients, plus (scale, tx, ty) of the 3DMM alignment in full mode. */
    static float[] sourceSemantics(float[] c257, double[] trans, boolean full) {
        float[] c70 = NetRecon.motionCoefficients(c257);
        if (!full) return c70;
        float[] c73 = Arrays.copyOf(c70, 73);
        c73[70] = (float) trans[2];
        c73[71] = (float) trans[3];
        c73[72] = (float) trans[4];
        return c73;
    }

    /** F' × 70 coefficients of a reference video's face (or of a saved coefficients file). */
    private static float[] reference(Path video, FaceStage faces, CoefficientGenerator motion, JobContext job) {
        if (video == null) return null;
        if (faces == null)
            throw new IllegalStateException("a reference video needs the job's face stage in RenderInput");
        job.stage(Stage.FACE, 0).message("reading " + video.getFileName());
        return ReferenceVideo.coefficients(video, motion, img -> faces.primaryFace(img, video));
    }
}
