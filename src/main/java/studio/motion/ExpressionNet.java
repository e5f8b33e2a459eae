package studio.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import studio.nn.Params;

/**
 * SadTalker's audio2exp network (SimpleWrapperV2): per video frame, the audio embedding of its
 * mel window, the reference expression (64) and the blink ratio (1) map linearly to 64
 * expression coefficients. Keys under {@code audio2exp.}.
 */
final class ExpressionNet {
    private final Wav2LipAudioEncoder encoder;
    private final NDArray weight;
    private final NDArray bias;

    ExpressionNet(Params w) {
        encoder = new Wav2LipAudioEncoder(w.sub("audio_encoder"));
        weight = w.get("mapping1.weight", 64, 512 + 64 + 1);
        bias = w.get("mapping1.bias", 64);
    }

    /**
     * @param mels  N x 1 x 80 x 16
     * @param ref   N x 64 reference expression per frame
     * @param ratio N x 1 blink ratio per frame
     * @return N x 64
     */
    NDArray forward(NDArray mels, NDArray ref, NDArray ratio) {
        NDArray audio = encoder.forward(mels);
        return Linear.linear(NDArrays.concat(new NDList(audio, ref, ratio), 1), weight, bias)
                .singletonOrThrow();
    }
}
