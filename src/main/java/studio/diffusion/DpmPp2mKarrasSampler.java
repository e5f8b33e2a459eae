package studio.diffusion;

/** k-diffusion sample_dpmpp_2m on the Karras sigma schedule: A1111's "DPM++ 2M Karras". */
public final class DpmPp2mKarrasSampler extends KDiffusionSampler {
    @Override
    public String name() {
        return "DPM++ 2M Karras";
    }

    @Override
    double[] sigmas(NoiseSchedule schedule, int steps) {
        return schedule.sigmasKarras(steps);
    }

    @Override
    Step newRun() {
        return new Step() {
            private float[] old; // the previous step's denoised estimate

            @Override
            public void apply(float[] x, float[] den, double[] sigmas, int i, LatentNoise rng) {
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
            }
        };
    }
}
