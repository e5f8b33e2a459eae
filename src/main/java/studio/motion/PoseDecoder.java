package studio.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import studio.nn.Params;

/**
 * The decoder of SadTalker's pose CVAE (audio2pose_models/cvae.py DECODER): from a latent draw
 * plus the pose style's class bias, the reference pose and 32 frames of audio embeddings, it
 * predicts 32 frames of head-pose motion (6 values each). Keys under
 * {@code audio2pose.netG.decoder.}.
 */
final class PoseDecoder {
    static final int SEQ_LEN = 32;
    static final int LATENT = 64;
    static final int STYLES = 46;
    private static final int AUDIO_OUT = 6;

    private final float[] classBias; // STYLES x LATENT
    private final NDArray audioW, audioB, l0W, l0B, l1W, l1B, poseW, poseB;
    private final ResUnet resunet;

    PoseDecoder(Params w) {
        classBias = w.floats("classbias", STYLES, LATENT);
        audioW = w.get("linear_audio.weight", AUDIO_OUT, 512);
        audioB = w.get("linear_audio.bias", AUDIO_OUT);
        l0W = w.get("MLP.L0.weight", 128, LATENT + SEQ_LEN * AUDIO_OUT + 6);
        l0B = w.get("MLP.L0.bias", 128);
        l1W = w.get("MLP.L1.weight", SEQ_LEN * 6, 128);
        l1B = w.get("MLP.L1.bias", SEQ_LEN * 6);
        poseW = w.get("pose_linear.weight", 6, 6);
        poseB = w.get("pose_linear.bias", 6);
        resunet = new ResUnet(w.sub("resunet"));
    }

    /** The latent offset of one pose style (0..45). */
    float[] classBias(int style) {
        float[] out = new float[LATENT];
        System.arraycopy(classBias, style * LATENT, out, 0, LATENT);
        return out;
    }

    /**
     * @param ref   B x 6 reference pose
     * @param z     B x 64 latent draws with the class bias already added
     * @param audio B x 32 x 512 audio embeddings
     * @return B x 32 x 6 pose motion relative to the reference
     */
    NDArray forward(NDArray ref, NDArray z, NDArray audio) {
        long b = ref.getShape().get(0);
        NDArray audioOut =
                Linear.linear(audio, audioW, audioB).singletonOrThrow().reshape(b, SEQ_LEN * AUDIO_OUT);
        NDArray h = NDArrays.concat(new NDList(ref, z, audioOut), 1);
        h = Activation.relu(Linear.linear(h, l0W, l0B).singletonOrThrow());
        h = Activation.sigmoid(Linear.linear(h, l1W, l1B).singletonOrThrow());
        NDArray emb = resunet.forward(h.reshape(b, 1, SEQ_LEN, 6)).reshape(b, SEQ_LEN, 6);
        return Linear.linear(emb, poseW, poseB).singletonOrThrow();
    }
}
