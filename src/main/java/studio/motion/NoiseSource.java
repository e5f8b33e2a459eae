package studio.motion;

import java.util.Random;

/** Where the pose CVAE's latent draws come from: standard normal by default, injectable for tests. */
@FunctionalInterface
public interface NoiseSource {
    /** The next {@code n} standard-normal values. */
    float[] next(int n);

    static NoiseSource gaussian(long seed) {
        Random r = new Random(seed);
        return n -> {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
            return out;
        };
    }
}
