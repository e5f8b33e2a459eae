package studio.motion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import studio.job.InputException;
import studio.nn.Params;
import studio.nn.TorchEngine;
import studio.weights.StateDict;

/**
 * SadTalker's audio → 3DMM coefficients (test_audio2coeff.py): the expression network gives 64
 * expression coefficients per frame; the pose CVAE gives head-pose motion in chunks of 32 frames
 * (the first frame is the reference itself, a short last chunk is left-padded by repeating its
 * first embedding), added to the reference pose and smoothed with a Savitzky–Golay filter
 * (window 13, order 2). Loads the official key layout: {@code audio2exp.*} and
 * {@code audio2pose.*} of the SadTalker checkpoint (see the model catalog).
 */
public final class Audio2Coeff implements AutoCloseable {
    public static final int COEFFS = 70;
    public static final int EXP = 64;
    public static final int POSE_STYLES = PoseDecoder.STYLES;
    private static final int MEL = 80 * 16;
    private static final int BATCH = 100; // frames per encoder call: ten of the reference's 10-frame chunks

    /** Expression (F x 64) and smoothed pose (F x 6), row-major. */
    public record Result(int frames, float[] expression, float[] pose) {
        /** F x 70: expression then pose, SadTalker's {@code coeff_3dmm}. */
        public float[] coefficients() {
            float[] out = new float[frames * COEFFS];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(expression, f * EXP, out, f * COEFFS, EXP);
                System.arraycopy(pose, f * 6, out, f * COEFFS + EXP, 6);
            }
            return out;
        }
    }

    private final NDManager manager;
    private final ExpressionNet expressionNet;
    private final Wav2LipAudioEncoder poseAudioEncoder;
    private final PoseDecoder poseDecoder;

    private Audio2Coeff(NDManager manager, ExpressionNet e, Wav2LipAudioEncoder a, PoseDecoder p) {
        this.manager = manager;
        this.expressionNet = e;
        this.poseAudioEncoder = a;
        this.poseDecoder = p;
    }

    /**
     * Loads both networks from a state dict with SadTalker's prefixes, checking every tensor:
     * missing, misshapen or unexpected tensors fail together, by name. The CVAE's encoder and
     * the pose discriminator are training-only and are not read.
     */
    public static Audio2Coeff load(StateDict dict) {
        return load(dict, Device.cpu());
    }

    /** As {@link #load(StateDict)} with the networks on {@code device}. */
    public static Audio2Coeff load(StateDict dict, Device device) {
        NDManager manager = TorchEngine.engine().newBaseManager(device);
        try {
            Params exp = Params.collecting(dict, manager, "audio2exp.");
            ExpressionNet e = new ExpressionNet(exp);
            exp.finish("audio2exp (expression network)", "audio2exp.", Params::isBookkeeping);
            Params pose = Params.collecting(dict, manager, "audio2pose.");
            Wav2LipAudioEncoder a = new Wav2LipAudioEncoder(pose.sub("audio_encoder.audio_encoder"));
            PoseDecoder p = new PoseDecoder(pose.sub("netG.decoder"));
            pose.finish(
                    "audio2pose (pose CVAE)",
                    "audio2pose.",
                    k -> Params.isBookkeeping(k)
                            || k.startsWith("audio2pose.netG.encoder.")
                            || k.startsWith("audio2pose.netD_motion."));
            return new Audio2Coeff(manager, e, a, p);
        } catch (RuntimeException ex) {
            manager.close();
            throw ex;
        }
    }

    /**
     * @param mels       F x 80 x 16 mel windows (see {@code AudioFeatures.melWindow})
     * @param refCoeff   F x 70 reference coefficients per frame (the source's, or a reference
     *                   video's expression for ref-eyeblink); the pose reference is frame 0's 64..69
     * @param blinkRatio F blink ratios (zeros for no blinking)
     * @param poseStyle  0..45
     */
    public Result generate(
            float[] mels, int frames, float[] refCoeff, float[] blinkRatio, int poseStyle, NoiseSource noise) {
        if (frames < 1) throw new InputException("the audio is shorter than one video frame (40 ms)");
        if (poseStyle < 0 || poseStyle >= POSE_STYLES)
            throw new InputException("pose style " + poseStyle + " is out of range 0.." + (POSE_STYLES - 1));
        if (mels.length != frames * MEL || refCoeff.length != frames * COEFFS || blinkRatio.length != frames)
            throw new IllegalArgumentException("inputs do not match " + frames + " frames");
        float[] exp = expression(mels, frames, refCoeff, blinkRatio);
        float[] pose = pose(mels, frames, refCoeff, poseStyle, noise);
        int window = frames < 13 ? (frames - 1) / 2 * 2 + 1 : 13;
        return new Result(frames, exp, SavitzkyGolay.smooth(pose, frames, 6, window, 2));
    }

    private float[] expression(float[] mels, int frames, float[] refCoeff, float[] blinkRatio) {
        float[] out = new float[frames * EXP];
        for (int start = 0; start < frames; start += BATCH) {
            int n = Math.min(BATCH, frames - start);
            try (NDManager m = manager.newSubManager()) {
                NDArray mel = m.create(slice(mels, start * MEL, n * MEL), new Shape(n, 1, 80, 16));
                float[] ref = new float[n * EXP];
                for (int i = 0; i < n; i++) System.arraycopy(refCoeff, (start + i) * COEFFS, ref, i * EXP, EXP);
                NDArray y = expressionNet.forward(
                        mel, m.create(ref, new Shape(n, EXP)), m.create(slice(blinkRatio, start, n), new Shape(n, 1)));
                System.arraycopy(y.toFloatArray(), 0, out, start * EXP, n * EXP);
            }
        }
        return out;
    }

    private float[] pose(float[] mels, int frames, float[] refCoeff, int style, NoiseSource noise) {
        float[] refPose = slice(refCoeff, EXP, 6);
        float[] pose = new float[frames * 6];
        for (int f = 0; f < frames; f++) System.arraycopy(refPose, 0, pose, f * 6, 6); // frame 0: motion 0
        int used = frames - 1; // frame 0 is the reference itself
        if (used == 0) return pose;
        float[] emb = new float[used * 512];
        for (int start = 0; start < used; start += BATCH) {
            int n = Math.min(BATCH, used - start);
            try (NDManager m = manager.newSubManager()) {
                NDArray mel = m.create(slice(mels, (1 + start) * MEL, n * MEL), new Shape(n, 1, 80, 16));
                System.arraycopy(poseAudioEncoder.forward(mel).toFloatArray(), 0, emb, start * 512, n * 512);
            }
        }
        int seq = PoseDecoder.SEQ_LEN, div = used / seq, re = used % seq;
        int chunks = div + (re != 0 ? 1 : 0);
        float[] audio = new float[chunks * seq * 512];
        float[] z = new float[chunks * PoseDecoder.LATENT];
        float[] bias = poseDecoder.classBias(style);
        for (int c = 0; c < chunks; c++) {
            float[] draw = noise.next(PoseDecoder.LATENT); // one draw per chunk, in order
            for (int i = 0; i < PoseDecoder.LATENT; i++) z[c * PoseDecoder.LATENT + i] = draw[i] + bias[i];
            if (c < div) {
                System.arraycopy(emb, c * seq * 512, audio, c * seq * 512, seq * 512);
            } else { // the last seq frames; fewer than seq overall are left-padded with the first
                int first = Math.max(0, used - seq), have = used - first, pad = seq - have;
                for (int i = 0; i < seq; i++) {
                    int src = i < pad ? first : first + i - pad;
                    System.arraycopy(emb, src * 512, audio, (c * seq + i) * 512, 512);
                }
            }
        }
        float[] motion;
        try (NDManager m = manager.newSubManager()) {
            float[] refs = new float[chunks * 6];
            for (int c = 0; c < chunks; c++) System.arraycopy(refPose, 0, refs, c * 6, 6);
            motion = poseDecoder
                    .forward(
                            m.create(refs, new Shape(chunks, 6)),
                            m.create(z, new Shape(chunks, PoseDecoder.LATENT)),
                            m.create(audio, new Shape(chunks, seq, 512)))
                    .toFloatArray();
        }
        for (int c = 0; c < chunks; c++) {
            int from = c < div ? 0 : seq - re;
            int to = c < div ? 1 + c * seq : 1 + div * seq;
            for (int i = from; i < seq; i++)
                for (int k = 0; k < 6; k++) pose[(to + i - from) * 6 + k] += motion[(c * seq + i) * 6 + k];
        }
        return pose;
    }

    private static float[] slice(float[] a, int from, int n) {
        float[] out = new float[n];
        System.arraycopy(a, from, out, 0, n);
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
