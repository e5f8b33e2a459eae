package studio.diffusion;

/**
 * An eps-prediction model as the samplers see it: the noise in {@code x}, a latent at the
 * variance-preserving scale of (possibly fractional) timestep {@code t}
 * (x = sqrt(abar) x0 + sqrt(1 - abar) eps). Classifier-free guidance happens inside.
 */
@FunctionalInterface
public interface Denoiser {
    float[] eps(float[] x, double t);
}
