package studio.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * CompVis PLMSSampler (pseudo linear multistep): DDIM timesteps, a 2-evaluation improved Euler
 * first step, then Adams-Bashforth combinations of up to four past noise predictions.
 * A1111's "PLMS"; diffusers' PNDM with skip_prk_steps uses the same combinations.
 */
public final class PlmsSampler extends VariancePreservingSampler {
    @Override
    public String name() {
        return "PLMS";
    }

    @Override
    Step newRun(NoiseSchedule schedule, int[] ts) {
        List<float[]> old = new ArrayList<>(); // past noise predictions, newest last
        return (model, x, i) -> {
            double a = schedule.alphaCumprod(ts[i]);
            double aPrev = alphaCumprodPrev(schedule, ts, i);
            float[] e = model.eps(x, ts[i]);
            float[] eUse;
            int n = old.size();
            if (n == 0) {
                float[] xPrev = DdimSampler.step(x, e, a, aPrev);
                float[] eNext = model.eps(xPrev, ts[Math.min(i + 1, ts.length - 1)]);
                eUse = combine(new double[] {0.5, 0.5}, e, eNext);
            } else if (n == 1) {
                eUse = combine(new double[] {1.5, -0.5}, e, old.get(n - 1));
            } else if (n == 2) {
                eUse = combine(new double[] {23 / 12.0, -16 / 12.0, 5 / 12.0}, e, old.get(n - 1), old.get(n - 2));
            } else {
                eUse = combine(
                        new double[] {55 / 24.0, -59 / 24.0, 37 / 24.0, -9 / 24.0},
                        e,
                        old.get(n - 1),
                        old.get(n - 2),
                        old.get(n - 3));
            }
            old.add(e);
            if (old.size() > 3) old.removeFirst();
            return DdimSampler.step(x, eUse, a, aPrev);
        };
    }

    private static float[] combine(double[] c, float[]... v) {
        float[] y = new float[v[0].length];
        for (int j = 0; j < y.length; j++) {
            double s = 0;
            for (int k = 0; k < c.length; k++) s += c[k] * v[k][j];
            y[j] = (float) s;
        }
        return y;
    }
}
