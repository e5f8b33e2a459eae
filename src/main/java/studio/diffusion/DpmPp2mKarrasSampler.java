package studio.diffusion;

import java.util.Random;

/** k-diffusion sample_dpmpp_2m on the Karras sigma schedule: A1111's "DPM++ 2M Karras". */
public final class DpmPp2mKarrasSampler implements Sampler {
    @Override public String name() { return "DPM++ 2M Karras"; }

    @Override
    public float[] sample(Denoiser model, NoiseSchedule schedule, float[] init, float[] noise, int steps, double strength,
                          Random rng, StepListener listener) {
        double[] sigmas = KDiffusion.schedule(schedule.sigmasKarras(steps), steps, init, strength);
        float[] x = KDiffusion.start(init, noise, sigmas[0]);
        steps = sigmas.length - 1;
        float[] old = null;
        for (int i = 0; i < steps; i++) {
            float[] den = KDiffusion.denoised(model, schedule, x, sigmas[i]);
            double t = -Math.log(sigmas[i]), tNext = -Math.log(sigmas[i + 1]), h = tNext - t;
            double ratio = sigmas[i + 1] / sigmas[i], c = -Math.expm1(-h);
            if (old == null || sigmas[i + 1] == 0) {
                for (int j = 0; j < x.length; j++) x[j] = (float) (ratio * x[j] + c * den[j]);
            } else {
                double r = (t + Math.log(sigmas[i - 1])) / h; // h_last / h
                double a = 1 + 1 / (2 * r), b = 1 / (2 * r);
                for (int j = 0; j < x.length; j++) x[j] = (float) (ratio * x[j] + c * (a * den[j] - b * old[j]));
            }
            old = den;
            listener.onStep(i + 1, steps);
        }
        return x;
    }
}
