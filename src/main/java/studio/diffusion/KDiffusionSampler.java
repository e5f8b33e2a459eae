package studio.diffusion;

/**
 * The loop every k-diffusion sampler shares: the sigma schedule (cut to its tail for img2img), the
 * start at noise * sigma_max (+ init), one denoised estimate D(x, sigma_i) per step and the progress
 * call. Subclasses supply the schedule when it is not the uniform one, and the update rule.
 */
abstract class KDiffusionSampler implements Sampler {
    /** One run's update rule; {@link #newRun()} makes a fresh one so multistep history never leaks between runs. */
    @FunctionalInterface
    interface Step {
        /** Moves {@code x} in place from {@code sigmas[i]} to {@code sigmas[i + 1]}; {@code denoised} is D(x, sigmas[i]). */
        void apply(float[] x, float[] denoised, double[] sigmas, int i, LatentNoise rng);
    }

    /** The txt2img schedule: {@code steps} sigmas, then 0. */
    double[] sigmas(NoiseSchedule schedule, int steps) {
        return schedule.sigmasUniform(steps);
    }

    abstract Step newRun();

    @Override
    public final float[] sample(
            Denoiser model,
            NoiseSchedule schedule,
            float[] init,
            float[] noise,
            int steps,
            double strength,
            LatentNoise rng,
            StepListener listener) {
        double[] sigmas = KDiffusion.schedule(sigmas(schedule, steps), steps, init, strength);
        float[] x = KDiffusion.start(init, noise, sigmas[0]);
        Step step = newRun();
        int total = sigmas.length - 1;
        for (int i = 0; i < total; i++) {
            step.apply(x, KDiffusion.denoised(model, schedule, x, sigmas[i]), sigmas, i, rng);
            listener.onStep(i + 1, total);
        }
        return x;
    }
}
