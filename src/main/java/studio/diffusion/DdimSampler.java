package studio.diffusion;

/**
 * Deterministic DDIM (eta 0) as CompVis DDIMSampler / diffusers DDIMScheduler compute it for SD:
 * "leading" timesteps with offset 1, previous alpha-bar of the last step = abar[0].
 */
public final class DdimSampler extends VariancePreservingSampler {
    @Override
    public String name() {
        return "DDIM";
    }

    @Override
    Step newRun(NoiseSchedule schedule, int[] ts) {
        return (model, x, i) ->
                step(x, model.eps(x, ts[i]), schedule.alphaCumprod(ts[i]), alphaCumprodPrev(schedule, ts, i));
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
