package studio.diffusion;

import java.util.Arrays;

/**
 * The loop the variance-preserving (timestep) samplers share: the timesteps (cut to their tail for
 * img2img), the start at sqrt(abar) init + sqrt(1 - abar) noise, one step per timestep and the
 * progress call. Subclasses supply the timestep spacing when it is not "leading", and the step.
 */
abstract class VariancePreservingSampler implements Sampler {
    /** One run's step; {@link #newRun} makes a fresh one so multistep history never leaks between runs. */
    @FunctionalInterface
    interface Step {
        /** The sample at timestep {@code ts[i + 1]} (or the clean latent after the last) from {@code x} at {@code ts[i]}. */
        float[] apply(Denoiser model, float[] x, int i);
    }

    /** The txt2img timesteps, descending. */
    int[] timesteps(NoiseSchedule schedule, int steps) {
        return schedule.timestepsLeading(steps);
    }

    abstract Step newRun(NoiseSchedule schedule, int[] ts);

    @Override
    public final float[] sample(
            Denoiser model,
            NoiseSchedule schedule,
            float[] init,
            float[] noise,
            int steps,
            double strength,
            LatentNoise rng,
            StepListener listener) {
        int[] ts = tail(timesteps(schedule, steps), init, strength);
        float[] x = start(schedule, init, noise, ts);
        Step step = newRun(schedule, ts);
        for (int i = 0; i < ts.length; i++) {
            x = step.apply(model, x, i);
            listener.onStep(i + 1, ts.length);
        }
        return x;
    }

    /** abar of the step's target: the next timestep, or abar[0] after the last (CompVis/diffusers DDIM for SD). */
    static double alphaCumprodPrev(NoiseSchedule schedule, int[] ts, int i) {
        return i + 1 < ts.length ? schedule.alphaCumprod(ts[i + 1]) : schedule.alphaCumprod(0);
    }

    /**
     * img2img for the variance-preserving samplers as diffusers does it: the last
     * min(int(steps * strength), steps) timesteps, starting at sqrt(abar) init + sqrt(1 - abar) noise.
     */
    static int[] tail(int[] ts, float[] init, double strength) {
        if (init == null) return ts;
        int keep = Math.min((int) (ts.length * strength), ts.length);
        return Arrays.copyOfRange(ts, ts.length - keep, ts.length);
    }

    static float[] start(NoiseSchedule schedule, float[] init, float[] noise, int[] ts) {
        if (init == null) return noise.clone();
        if (ts.length == 0) return init.clone();
        double a = schedule.alphaCumprod(ts[0]);
        float[] x = new float[noise.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (Math.sqrt(a) * init[i] + Math.sqrt(1 - a) * noise[i]);
        return x;
    }
}
