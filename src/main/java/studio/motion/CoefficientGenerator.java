package studio.motion;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.job.InputException;
import studio.weights.Checkpoint;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.StateDict;

/**
 * The motion stage: the source portrait's 3DMM coefficients (net_recon) and, from the audio, the
 * F x 70 coefficients the renderer animates (audio2exp + audio2pose), as SadTalker's
 * {@code CropAndExtract} + {@code Audio2Coeff} do. Loads the SadTalker checkpoint of the render
 * size ({@link Checkpoint#sadTalker}, named by the model catalog) as released.
 */
public final class CoefficientGenerator implements AutoCloseable {
    private final StateDict checkpoint;
    private final Audio2Coeff audio2coeff;
    private final NetRecon netRecon;

    private CoefficientGenerator(StateDict checkpoint, Audio2Coeff a, NetRecon n) {
        this.checkpoint = checkpoint;
        this.audio2coeff = a;
        this.netRecon = n;
    }

    /** The official checkpoint file name for a render size (256 or 512), from the model catalog. */
    public static String checkpointName(int size) {
        return Checkpoint.sadTalker(size).file();
    }

    /** Opens the SadTalker checkpoint of the size in {@code checkpointDir}, checking every tensor it uses. */
    public static CoefficientGenerator open(Path checkpointDir, int size) {
        return open(checkpointDir, size, Device.cpu());
    }

    /** As {@link #open(Path, int)} with the networks on {@code device} (fp32: they run once per clip). */
    public static CoefficientGenerator open(Path checkpointDir, int size, Device device) {
        Checkpoint c = Checkpoint.sadTalker(size);
        Path file = c.in(checkpointDir);
        if (!Files.isRegularFile(file))
            throw new CheckpointException(file.toString(), "checkpoint not found (" + c.howToGet() + ")");
        return fromStateDict(Checkpoints.open(file), device);
    }

    /** Builds the networks from any state dict with SadTalker's prefixes; takes ownership of it. */
    public static CoefficientGenerator fromStateDict(StateDict dict) {
        return fromStateDict(dict, Device.cpu());
    }

    private static CoefficientGenerator fromStateDict(StateDict dict, Device device) {
        Audio2Coeff a = null;
        try {
            a = Audio2Coeff.load(dict, device);
            NetRecon n = NetRecon.load(dict, device);
            return new CoefficientGenerator(dict, a, n);
        } catch (RuntimeException e) {
            if (a != null) a.close();
            dict.close();
            throw e;
        }
    }

    /** The reconstruction network, for callers that align faces themselves. */
    public NetRecon netRecon() {
        return netRecon;
    }

    /**
     * The full 257 coefficients of a face (SadTalker's {@code full_3dmm}): aligned to 224 x 224
     * from its 68 landmarks, then net_recon. Also used per frame of a reference video.
     */
    public float[] faceCoefficients(BufferedImage image, Face face) {
        return faceReconstruction(image, face).coefficients();
    }

    /**
     * A face's 257 coefficients with the alignment that produced them: SadTalker's trans_params
     * (width, height, scale, tx, ty), whose last three full/extfull modes pass to the renderer.
     */
    public record FaceReconstruction(float[] coefficients, double[] alignment) {}

    /** As {@link #faceCoefficients}, keeping the alignment parameters (one alignment, one net_recon pass). */
    public FaceReconstruction faceReconstruction(BufferedImage image, Face face) {
        Face3dAlignment.Aligned a = Face3dAlignment.align(image, face);
        return new FaceReconstruction(netRecon.coefficients(a.image(), 1), a.params());
    }

    /**
     * F x 70 coefficients for the audio (row-major; F = {@code audio.numFrames()}).
     *
     * @param sourceCoeff the portrait's coefficients: the 257 of {@link #faceCoefficients}, or 70 already reduced
     */
    public float[] generate(AudioFeatures audio, float[] sourceCoeff, MotionOptions options) {
        return generate(audio, sourceCoeff, options, NoiseSource.gaussian(options.seed()));
    }

    /** As {@link #generate(AudioFeatures, float[], MotionOptions)} with the CVAE's latent draws given. */
    public float[] generate(AudioFeatures audio, float[] sourceCoeff, MotionOptions options, NoiseSource noise) {
        int frames = audio.numFrames();
        if (frames < 1) throw new InputException("the audio is shorter than one video frame (40 ms)");
        float[] source70 =
                sourceCoeff.length == NetRecon.COEFFS ? NetRecon.motionCoefficients(sourceCoeff) : sourceCoeff;
        if (source70.length < 70)
            throw new IllegalArgumentException("source coefficients: " + sourceCoeff.length + " values");
        float[] mels = new float[frames * 80 * 16];
        for (int f = 0; f < frames; f++) System.arraycopy(audio.melWindow(f), 0, mels, f * 1280, 1280);

        float[] ref = new float[frames * 70];
        for (int f = 0; f < frames; f++) System.arraycopy(source70, 0, ref, f * 70, 70);
        float[] ratio = options.blink()
                ? BlinkSchedule.sadTalkerFloat(frames, options.seed() ^ 0x5DEECE66DL)
                : new float[frames];
        if (options.refEyeblink() != null) { // the reference video's expression drives the eyes; no random blinks
            float[] eb = options.refEyeblink();
            int n = checkRef(eb, "ref-eyeblink");
            for (int f = 0; f < frames; f++) System.arraycopy(eb, (f % n) * 70, ref, f * 70, 64);
            ratio = new float[frames];
        }
        float[] coeffs = audio2coeff
                .generate(mels, frames, ref, ratio, options.poseStyle(), noise)
                .coefficients();
        if (options.refPose() != null) { // relative head motion of the reference video, looped
            float[] rp = options.refPose();
            int n = checkRef(rp, "ref-pose");
            for (int f = 0; f < frames; f++)
                for (int k = 64; k < 70; k++) coeffs[f * 70 + k] += rp[(f % n) * 70 + k] - rp[k];
        }
        if (options.expressionScale() != 1.0) { // SadTalker applies it when batching for the renderer
            float s = (float) options.expressionScale();
            for (int f = 0; f < frames; f++) for (int k = 0; k < 64; k++) coeffs[f * 70 + k] *= s;
        }
        return coeffs;
    }

    private static int checkRef(float[] c, String what) {
        if (c.length == 0 || c.length % 70 != 0)
            throw new InputException(what + " coefficients must be F x 70, got " + c.length + " values");
        return c.length / 70;
    }

    @Override
    public void close() {
        audio2coeff.close();
        netRecon.close();
        checkpoint.close();
    }
}
