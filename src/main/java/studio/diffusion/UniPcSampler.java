package studio.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * UniPC (Zhao et al. 2023) as diffusers' UniPCMultistepScheduler computes it with its defaults:
 * order 2, "bh2" B(h), data (x0) prediction, UniC corrector after every step but the last,
 * lower-order final steps, "linspace" timesteps and a final sigma of 0.
 * Written in the variance-preserving variables alpha_t, sigma_t and lambda = log(alpha_t / sigma_t).
 */
public final class UniPcSampler extends VariancePreservingSampler {
    private static final int ORDER = 2;

    @Override
    public String name() {
        return "UniPC";
    }

    @Override
    int[] timesteps(NoiseSchedule schedule, int steps) {
        return schedule.timestepsLinspace(steps);
    }

    @Override
    Step newRun(NoiseSchedule schedule, int[] ts) {
        int steps = ts.length;
        double[] alpha = new double[steps + 1], sig = new double[steps + 1], lambda = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            double s = i < steps ? schedule.sigma(ts[i]) : 0;
            alpha[i] = 1 / Math.sqrt(s * s + 1);
            sig[i] = s * alpha[i];
            lambda[i] = Math.log(alpha[i]) - Math.log(sig[i]);
        }
        return new Step() {
            private final List<float[]> x0s = new ArrayList<>(); // data predictions, newest last
            private float[] last;
            private int lowerOrders, previousOrder = 1;

            @Override
            public float[] apply(Denoiser model, float[] x, int i) {
                float[] eps = model.eps(x, ts[i]);
                float[] x0 = new float[x.length];
                for (int j = 0; j < x.length; j++) x0[j] = (float) ((x[j] - sig[i] * eps[j]) / alpha[i]);
                if (i > 0 && last != null) x = correct(x0, last, x0s, i, previousOrder, alpha, sig, lambda);
                x0s.add(x0);
                if (x0s.size() > ORDER) x0s.removeFirst();
                int order = Math.min(Math.min(ORDER, steps - i), lowerOrders + 1);
                last = x;
                lowerOrders = Math.min(lowerOrders + 1, ORDER);
                previousOrder = order;
                return predict(x, x0s, i, order, alpha, sig, lambda);
            }
        };
    }

    /** UniP-bh: from step i to i+1 with the newest {@code order} data predictions. */
    private static float[] predict(
            float[] x, List<float[]> x0s, int i, int order, double[] alpha, double[] sig, double[] lambda) {
        float[] m0 = x0s.getLast();
        double h = lambda[i + 1] - lambda[i], hh = -h, phi1 = Math.expm1(hh), bh = Math.expm1(hh);
        float[] d1 = null;
        double rho = 0;
        if (order == 2) {
            double rk = (lambda[i - 1] - lambda[i]) / h;
            d1 = difference(x0s.get(x0s.size() - 2), m0, rk);
            rho = 0.5;
        }
        float[] y = new float[x.length];
        double ratio = sig[i + 1] / sig[i];
        for (int j = 0; j < x.length; j++) {
            double v = ratio * x[j] - alpha[i + 1] * phi1 * m0[j];
            if (d1 != null) v -= alpha[i + 1] * bh * rho * d1[j];
            y[j] = (float) v;
        }
        return y;
    }

    /** UniC-bh: refines the sample at step i (predicted from {@code last} at step i-1) with the new data prediction. */
    private static float[] correct(
            float[] modelT,
            float[] last,
            List<float[]> x0s,
            int i,
            int order,
            double[] alpha,
            double[] sig,
            double[] lambda) {
        float[] m0 = x0s.getLast();
        double h = lambda[i] - lambda[i - 1], hh = -h, phi1 = Math.expm1(hh), bh = Math.expm1(hh);
        double[] rks = new double[order];
        float[] d1 = null;
        if (order == 2) {
            rks[0] = (lambda[i - 2] - lambda[i - 1]) / h;
            d1 = difference(x0s.get(x0s.size() - 2), m0, rks[0]);
        }
        rks[order - 1] = 1;
        double[][] r = new double[order][order];
        double[] b = new double[order];
        double phiK = phi1 / hh - 1, factorial = 1;
        for (int k = 1; k <= order; k++) {
            for (int c = 0; c < order; c++) r[k - 1][c] = Math.pow(rks[c], k - 1);
            b[k - 1] = phiK * factorial / bh;
            factorial *= k + 1;
            phiK = phiK / hh - 1 / factorial;
        }
        double[] rhos = order == 1 ? new double[] {0.5} : solve(r, b);
        float[] y = new float[last.length];
        double ratio = sig[i] / sig[i - 1];
        for (int j = 0; j < y.length; j++) {
            double corr = d1 != null ? rhos[0] * d1[j] : 0;
            double v = ratio * last[j]
                    - alpha[i] * phi1 * m0[j]
                    - alpha[i] * bh * (corr + rhos[order - 1] * (modelT[j] - m0[j]));
            y[j] = (float) v;
        }
        return y;
    }

    private static float[] difference(float[] mi, float[] m0, double rk) {
        float[] d = new float[m0.length];
        for (int j = 0; j < d.length; j++) d[j] = (float) ((mi[j] - m0[j]) / rk);
        return d;
    }

    /** Gaussian elimination with partial pivoting for the 2×2 (order-sized) system of rho coefficients. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = a[i].clone();
        double[] x = b.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double tv = x[c];
            x[c] = x[p];
            x[p] = tv;
            for (int i = c + 1; i < n; i++) {
                double f = m[i][c] / m[c][c];
                for (int k = c; k < n; k++) m[i][k] -= f * m[c][k];
                x[i] -= f * x[c];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= m[i][k] * x[k];
            x[i] = s / m[i][i];
        }
        return x;
    }
}
