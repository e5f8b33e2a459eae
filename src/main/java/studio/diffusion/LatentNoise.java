package studio.diffusion;

import java.util.Locale;
import studio.job.InputException;

/**
 * The Gaussian noise of one generation: the first draw is the starting latent, later draws the extra
 * noise of ancestral samplers. Which generator makes it is A1111's "Random number generator source"
 * setting, so a seed gives the picture it gives there.
 */
public interface LatentNoise {
    /** The next {@code n} standard-normal values. */
    float[] next(int n);

    /** A1111's sources, by their infotext names. */
    enum Source {
        /**
         * torch's CUDA generator (Philox 4×32-10 and Box–Muller), reproduced on the CPU: A1111's
         * default "GPU" source for the starting latent, and its "NV" source for every draw.
         */
        NV,
        /** torch's CPU generator (mt19937), through libtorch itself: A1111's "CPU" source. */
        CPU;

        public static Source parse(String s) {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (v.equals("GPU")) return NV; // the same starting latent as A1111's default
            try {
                return valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new InputException("unknown random number source '" + s + "' (one of: nv, gpu, cpu)");
            }
        }
    }

    static LatentNoise of(Source source, long seed) {
        return switch (source) {
            case NV -> new PhiloxNoise(seed);
            case CPU -> new TorchCpuNoise(seed);
        };
    }
}
