package studio.diffusion;

/** k-diffusion sample_euler (no churn) on the uniform sigma schedule: A1111's "Euler". */
public final class EulerSampler extends KDiffusionSampler {
    @Override
    public String name() {
        return "Euler";
    }

    @Override
    Step newRun() {
        return (x, den, sigmas, i, rng) -> {
            double dt = sigmas[i + 1] - sigmas[i];
            for (int j = 0; j < x.length; j++) x[j] += (float) ((x[j] - den[j]) / sigmas[i] * dt);
        };
    }
}
