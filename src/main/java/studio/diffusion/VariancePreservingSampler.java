package studio.diffusion;

import java.util.Random;

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
    public final float[] sample(Denoiser model, NoiseSchedule schedule, float[] init, float[] noise, int steps, double strength,
                                Random rng, StepListener listener) {
        int[] ts = KDiffusion.timesteps(timesteps(schedule, steps), init, strength);
        float[] x = KDiffusion.startVp(schedule, init, noise, ts);
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
}
