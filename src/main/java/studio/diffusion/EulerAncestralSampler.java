package studio.diffusion;

/** k-diffusion sample_euler_ancestral (eta 1) on the uniform sigma schedule: A1111's "Euler a". */
public final class EulerAncestralSampler extends KDiffusionSampler {
    @Override
    public String name() {
        return "Euler a";
    }

    @Override
    public boolean ancestral() {
        return true;
    }

    @Override
    Step newRun() {
        return (x, den, sigmas, i, rng) -> {
            double from = sigmas[i], to = sigmas[i + 1];
            // get_ancestral_step: split the step into a deterministic part down to sigma_down and fresh noise sigma_up.
            double up = Math.min(to, Math.sqrt(to * to * (from * from - to * to) / (from * from)));
            double down = Math.sqrt(to * to - up * up);
            for (int j = 0; j < x.length; j++) x[j] += (float) ((x[j] - den[j]) / from * (down - from));
            if (to > 0) {
                float[] z = rng.next(x.length);
                for (int j = 0; j < x.length; j++) x[j] += (float) (z[j] * up);
            }
        };
    }
}
