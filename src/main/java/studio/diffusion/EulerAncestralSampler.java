package studio.diffusion;

import java.util.Random;

/** k-diffusion sample_euler_ancestral (eta 1) on the uniform sigma schedule: A1111's "Euler a". */
public final class EulerAncestralSampler implements Sampler {
    @Override public String name() { return "Euler a"; }

    @Override
    public float[] sample(Denoiser model, NoiseSchedule schedule, float[] init, float[] noise, int steps, double strength,
                          Random rng, StepListener listener) {
        double[] sigmas = KDiffusion.schedule(schedule.sigmasUniform(steps), steps, init, strength);
        float[] x = KDiffusion.start(init, noise, sigmas[0]);
        steps = sigmas.length - 1;
        for (int i = 0; i < steps; i++) {
            double from = sigmas[i], to = sigmas[i + 1];
            float[] den = KDiffusion.denoised(model, schedule, x, from);
            // get_ancestral_step: split the step into a deterministic part down to sigma_down and fresh noise sigma_up.
            double up = Math.min(to, Math.sqrt(to * to * (from * from - to * to) / (from * from)));
            double down = Math.sqrt(to * to - up * up);
            for (int j = 0; j < x.length; j++) x[j] += (float) ((x[j] - den[j]) / from * (down - from));
            if (to > 0) {
                float[] z = KDiffusion.gaussian(rng, x.length);
                for (int j = 0; j < x.length; j++) x[j] += (float) (z[j] * up);
            }
            listener.onStep(i + 1, steps);
        }
        return x;
    }
}
