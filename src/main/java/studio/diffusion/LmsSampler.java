package studio.diffusion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** k-diffusion sample_lms (order 4) on the uniform sigma schedule: A1111's "LMS". */
public final class LmsSampler extends KDiffusionSampler {
    private static final int ORDER = 4;
    // 4-point Gauss-Legendre nodes and weights on [-1, 1]: exact for the cubic Lagrange products integrated here.
    private static final double[] NODES = {
        -0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526
    };
    private static final double[] WEIGHTS = {
        0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538
    };

    @Override
    public String name() {
        return "LMS";
    }

    @Override
    Step newRun() {
        Deque<float[]> ds = new ArrayDeque<>(); // derivatives (x - D) / sigma, newest first
        return (x, den, sigmas, i, rng) -> {
            float[] d = new float[x.length];
            for (int j = 0; j < x.length; j++) d[j] = (float) ((x[j] - den[j]) / sigmas[i]);
            ds.addFirst(d);
            if (ds.size() > ORDER) ds.removeLast();
            int order = Math.min(i + 1, ORDER);
            List<float[]> hist = new ArrayList<>(ds);
            for (int k = 0; k < order; k++) {
                double c = coefficient(order, sigmas, i, k);
                float[] dk = hist.get(k);
                for (int j = 0; j < x.length; j++) x[j] += (float) (c * dk[j]);
            }
        };
    }

    /** linear_multistep_coeff: the integral over [t_i, t_{i+1}] of the Lagrange basis polynomial of node t_{i-j}. */
    static double coefficient(int order, double[] t, int i, int j) {
        double a = t[i], b = t[i + 1], sum = 0;
        for (int q = 0; q < NODES.length; q++) {
            double tau = (a + b) / 2 + (b - a) / 2 * NODES[q];
            double prod = 1;
            for (int k = 0; k < order; k++) {
                if (k == j) continue;
                prod *= (tau - t[i - k]) / (t[i - j] - t[i - k]);
            }
            sum += WEIGHTS[q] * prod;
        }
        return sum * (b - a) / 2;
    }
}
