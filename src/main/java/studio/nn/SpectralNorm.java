package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import studio.weights.CheckpointException;

/**
 * {@code torch.nn.utils.spectral_norm} in evaluation mode: no power iteration, the stored
 * singular-vector estimates {@code weight_u}, {@code weight_v} give sigma = u · (W v), W being
 * {@code weight_orig} reshaped to (out, rest), and the layer uses {@code weight_orig / sigma}.
 */
public final class SpectralNorm {
    private SpectralNorm() {}

    /** The effective weight of a spectral-normalised layer whose parameters are under {@code p}. */
    public static NDArray weight(Params p, NDManager manager) {
        long[] shape = p.shape("weight_orig");
        long out = shape[0];
        long rest = 1;
        for (int i = 1; i < shape.length; i++) rest *= shape[i];
        float[] w = p.dict().floats(p.key("weight_orig"));
        float[] u = p.dict().floats(p.key("weight_u"));
        float[] v = p.dict().floats(p.key("weight_v"));
        if (u.length != out || v.length != rest)
            throw new CheckpointException(
                    p.dict().source(),
                    "spectral-norm vectors of '" + p.key("weight_orig") + "' have sizes " + u.length + "/" + v.length
                            + ", expected " + out + "/" + rest);
        float sigma = sigma(w, u, v, (int) out, (int) rest);
        float[] scaled = new float[w.length];
        for (int i = 0; i < w.length; i++) scaled[i] = w[i] / sigma;
        return manager.create(scaled, new Shape(shape));
    }

    /** u · (W v) accumulated in double (a few thousand terms; the result is one scalar). */
    static float sigma(float[] w, float[] u, float[] v, int out, int rest) {
        double s = 0;
        for (int i = 0; i < out; i++) {
            double row = 0;
            int base = i * rest;
            for (int j = 0; j < rest; j++) row += (double) w[base + j] * v[j];
            s += u[i] * row;
        }
        return (float) s;
    }
}
