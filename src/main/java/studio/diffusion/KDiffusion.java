package studio.diffusion;

import java.util.Arrays;

/**
 * k-diffusion's view of an eps model (CompVisDenoiser): latents at noise level sigma are
 * x = x0 + sigma * eps, the model sees x / sqrt(sigma^2 + 1) at timestep sigma_to_t(sigma), and the
 * denoised estimate is D(x, sigma) = x - sigma * eps.
 */
final class KDiffusion {
    private KDiffusion() {}

    static float[] denoised(Denoiser model, NoiseSchedule schedule, float[] x, double sigma) {
        float cIn = (float) (1 / Math.sqrt(sigma * sigma + 1));
        float[] in = new float[x.length];
        for (int i = 0; i < x.length; i++) in[i] = x[i] * cIn;
        float[] eps = model.eps(in, schedule.sigmaToT(sigma));
        float[] d = new float[x.length];
        for (int i = 0; i < x.length; i++) d[i] = (float) (x[i] - sigma * eps[i]);
        return d;
    }

    /** x * s (the starting latent of k-diffusion samplers is noise * sigma_max). */
    static float[] scaled(float[] x, double s) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] * s);
        return y;
    }

    /**
     * A1111's img2img with k-diffusion samplers: t_enc = int(min(strength, 0.999) * steps) and the
     * schedule continues from sigmas[steps - t_enc - 1]; txt2img uses all of it.
     */
    static double[] schedule(double[] sigmas, int steps, float[] init, double strength) {
        if (init == null) return sigmas;
        int tEnc = (int) (Math.min(strength, 0.999) * steps);
        return Arrays.copyOfRange(sigmas, steps - tEnc - 1, sigmas.length);
    }

    /** The starting latent: noise * sigma (txt2img) or init + noise * sigma (img2img). */
    static float[] start(float[] init, float[] noise, double sigma) {
        float[] x = scaled(noise, sigma);
        if (init != null) for (int i = 0; i < x.length; i++) x[i] += init[i];
        return x;
    }
}
