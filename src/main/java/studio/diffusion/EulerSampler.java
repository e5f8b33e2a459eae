package studio.diffusion;

import java.util.Random;

/** k-diffusion sample_euler (no churn) on the uniform sigma schedule: A1111's "Euler". */
public final class EulerSampler implements Sampler {
    @Override public String name() { return "Euler"; }

    @Override
    public float[] sample(Denoiser model, NoiseSchedule schedule, float[] init, float[] noise, int steps, double strength,
                          Random rng, StepListener listener) {
        double[] sigmas = KDiffusion.schedule(schedule.sigmasUniform(steps), steps, init, strength);
        float[] x = KDiffusion.start(init, noise, sigmas[0]);
        steps = sigmas.length - 1;
        for (int i = 0; i < steps; i++) {
            float[] den = KDiffusion.denoised(model, schedule, x, sigmas[i]);
            double dt = sigmas[i + 1] - sigmas[i];
            for (int j = 0; j < x.length; j++) x[j] += (float) ((x[j] - den[j]) / sigmas[i] * dt);
            listener.onStep(i + 1, steps);
        }
        return x;
    }
}
