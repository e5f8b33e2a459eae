package studio.diffusion;

/**
 * The discrete diffusion schedule of SD 1.x ({@code v1-inference.yaml}: "scaled linear" betas,
 * sqrt(beta) linear from sqrt(0.00085) to sqrt(0.012) over 1000 steps) and the conversions the
 * samplers need: alpha-bar per timestep, k-diffusion's sigma = sqrt((1 - abar) / abar), and
 * k-diffusion's continuous timestep of a sigma (linear interpolation of log sigma).
 */
public final class NoiseSchedule {
    private final double[] alphasCumprod;
    private final double[] logSigmas;

    public NoiseSchedule(double betaStart, double betaEnd, int steps) {
        alphasCumprod = new double[steps];
        logSigmas = new double[steps];
        double a = 1, s0 = Math.sqrt(betaStart), s1 = Math.sqrt(betaEnd);
        for (int i = 0; i < steps; i++) {
            double r = s0 + (s1 - s0) * i / (steps - 1);
            a *= 1 - r * r;
            alphasCumprod[i] = a;
            logSigmas[i] = 0.5 * Math.log((1 - a) / a);
        }
    }

    /** SD 1.x: scaled-linear betas 0.00085..0.012, 1000 training steps. */
    public static NoiseSchedule sd15() {
        return new NoiseSchedule(0.00085, 0.012, 1000);
    }

    public int trainSteps() {
        return alphasCumprod.length;
    }

    public double alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    public double sigma(int t) {
        return Math.exp(logSigmas[t]);
    }

    public double sigmaMin() {
        return sigma(0);
    }

    public double sigmaMax() {
        return sigma(trainSteps() - 1);
    }

    /** k-diffusion DiscreteSchedule.t_to_sigma: log-sigma interpolated between neighbouring steps. */
    public double tToSigma(double t) {
        int low = (int) Math.floor(t), high = (int) Math.ceil(t);
        double w = t - low;
        return Math.exp((1 - w) * logSigmas[low] + w * logSigmas[high]);
    }

    /** k-diffusion DiscreteSchedule.sigma_to_t: the fractional timestep whose interpolated sigma is {@code sigma}. */
    public double sigmaToT(double sigma) {
        double ls = Math.log(sigma);
        int n = logSigmas.length;
        int low = 0;
        for (int i = 0; i < n; i++) if (ls - logSigmas[i] >= 0) low = i; // last index with log_sigma <= ls
        low = Math.min(low, n - 2);
        double lo = logSigmas[low], hi = logSigmas[low + 1];
        double w = Math.clamp((lo - ls) / (lo - hi), 0.0, 1.0);
        return (1 - w) * low + w * (low + 1);
    }

    /** k-diffusion get_sigmas(n): n sigmas at timesteps linspace(999, 0, n), then 0. */
    public double[] sigmasUniform(int n) {
        double[] s = new double[n + 1];
        double tMax = trainSteps() - 1;
        for (int i = 0; i < n; i++) s[i] = tToSigma(n == 1 ? tMax : tMax - tMax * i / (n - 1));
        return s;
    }

    /** k-diffusion get_sigmas_karras(n, sigma_min, sigma_max, rho=7), then 0 (A1111's "Karras" schedule). */
    public double[] sigmasKarras(int n) {
        double rho = 7, minInv = Math.pow(sigmaMin(), 1 / rho), maxInv = Math.pow(sigmaMax(), 1 / rho);
        double[] s = new double[n + 1];
        for (int i = 0; i < n; i++) {
            double ramp = n == 1 ? 0 : (double) i / (n - 1);
            s[i] = Math.pow(maxInv + ramp * (minInv - maxInv), rho);
        }
        return s;
    }

    /**
     * CompVis make_ddim_timesteps("uniform") = diffusers "leading" spacing with steps_offset 1:
     * range(0, 1000, 1000 // n) + 1, descending.
     */
    public int[] timestepsLeading(int n) {
        int ratio = trainSteps() / n;
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = (n - 1 - i) * ratio + 1;
        return t;
    }

    /** diffusers "linspace" spacing: round(linspace(0, 999, n + 1)) descending, the 0 dropped. */
    public int[] timestepsLinspace(int n) {
        int[] t = new int[n];
        double max = trainSteps() - 1;
        for (int i = 0; i < n; i++) t[i] = (int) Math.rint(max * (n - i) / n);
        return t;
    }
}
