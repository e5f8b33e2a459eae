package studio.diffusion;

import java.util.Random;

/**
 * Deterministic DDIM (eta 0) as CompVis DDIMSampler / diffusers DDIMScheduler compute it for SD:
 * "leading" timesteps with offset 1, previous alpha-bar of the last step = abar[0].
 */
public final class DdimSampler implements Sampler {
    @Override public String name() { return "DDIM"; }

    @Override
    public float[] sample(Denoiser model, NoiseSchedule schedule, float[] init, float[] noise, int steps, double strength,
                          Random rng, StepListener listener) {
        int[] ts = KDiffusion.timesteps(schedule.timestepsLeading(steps), init, strength);
        float[] x = KDiffusion.startVp(schedule, init, noise, ts);
        steps = ts.length;
        for (int i = 0; i < steps; i++) {
            float[] eps = model.eps(x, ts[i]);
            double prev = i + 1 < steps ? schedule.alphaCumprod(ts[i + 1]) : schedule.alphaCumprod(0);
            x = step(x, eps, schedule.alphaCumprod(ts[i]), prev);
            listener.onStep(i + 1, steps);
        }
        return x;
    }

    /** x_prev = sqrt(a_prev) x0_pred + sqrt(1 - a_prev) eps, x0_pred = (x - sqrt(1 - a) eps) / sqrt(a). */
    static float[] step(float[] x, float[] eps, double a, double aPrev) {
        double sa = Math.sqrt(a), s1a = Math.sqrt(1 - a), sp = Math.sqrt(aPrev), s1p = Math.sqrt(1 - aPrev);
        float[] y = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            double x0 = (x[j] - s1a * eps[j]) / sa;
            y[j] = (float) (sp * x0 + s1p * eps[j]);
        }
        return y;
    }
}
