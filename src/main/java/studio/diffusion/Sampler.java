package studio.diffusion;

import java.util.List;
import studio.job.InputException;

/** A sampling method: from pure noise to a clean latent in a number of model evaluations. */
public interface Sampler {
    /** Called after each step (1-based) so callers report progress and honour cancellation. */
    @FunctionalInterface
    interface StepListener {
        void onStep(int step, int total);
    }

    /** The A1111 name ("Euler a", "DPM++ 2M Karras"...). */
    String name();

    /** Whether each step adds fresh noise (Euler a): the picture then depends on every draw of the noise source. */
    default boolean ancestral() {
        return false;
    }

    /**
     * Runs {@code steps} steps starting from {@code noise} (standard normal, unscaled). {@code rng}
     * supplies the extra noise of ancestral samplers. Returns the final latent.
     */
    default float[] sample(
            Denoiser model, NoiseSchedule schedule, float[] noise, int steps, LatentNoise rng, StepListener listener) {
        return sample(model, schedule, null, noise, steps, 1.0, rng, listener);
    }

    /**
     * img2img: starts from {@code init} (a clean latent) noised to the level that {@code strength}
     * (0..1, A1111's denoising strength) selects in the {@code steps}-step schedule, and runs the
     * remaining steps. {@code init} null means txt2img (strength ignored).
     */
    float[] sample(
            Denoiser model,
            NoiseSchedule schedule,
            float[] init,
            float[] noise,
            int steps,
            double strength,
            LatentNoise rng,
            StepListener listener);

    /** The samplers by A1111 name, case-insensitive. */
    static Sampler byName(String name) {
        for (Sampler s : all()) if (s.name().equalsIgnoreCase(name)) return s;
        throw new InputException("unknown sampler '" + name + "' (one of: "
                + String.join(", ", all().stream().map(Sampler::name).toList()) + ")");
    }

    static List<Sampler> all() {
        return List.of(
                new EulerSampler(),
                new EulerAncestralSampler(),
                new DpmPp2mKarrasSampler(),
                new DdimSampler(),
                new PlmsSampler(),
                new LmsSampler(),
                new UniPcSampler());
    }
}
