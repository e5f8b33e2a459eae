package studio.diffusion;

/**
 * Inpainting with an ordinary SD 1.x model, as A1111 does it: after every model evaluation the
 * denoised estimate is replaced by the original latent where the mask keeps the picture
 * ({@code denoised = init * keep + denoised * (1 - keep)}). Done here in eps form so every sampler
 * gets it: x0 = (x - sqrt(1 - abar) eps) / sqrt(abar) is blended and turned back into eps.
 */
public final class MaskedDenoiser implements Denoiser {
    private final Denoiser inner;
    private final NoiseSchedule schedule;
    private final float[] init, keep;

    /** {@code keep} per latent element: 1 keeps {@code init}, 0 lets the model paint. */
    public MaskedDenoiser(Denoiser inner, NoiseSchedule schedule, float[] init, float[] keep) {
        if (init.length != keep.length) throw new IllegalArgumentException("mask and latent sizes differ");
        this.inner = inner;
        this.schedule = schedule;
        this.init = init;
        this.keep = keep;
    }

    @Override
    public float[] eps(float[] x, double t) {
        float[] eps = inner.eps(x, t);
        double s = schedule.tToSigma(t), ab = 1 / (1 + s * s), a = Math.sqrt(ab), n = Math.sqrt(1 - ab);
        float[] out = new float[eps.length];
        for (int i = 0; i < eps.length; i++) {
            double x0 = (x[i] - n * eps[i]) / a;
            double blended = init[i] * keep[i] + x0 * (1 - keep[i]);
            out[i] = (float) ((x[i] - a * blended) / n);
        }
        return out;
    }
}
