package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import studio.job.InputException;

/**
 * Samplers against closed forms: when the data is a single point x0 the ideal noise prediction is
 * exact, eps(x, t) = (x - sqrt(abar) x0) / sqrt(1 - abar), so every sampler must land on x0
 * (DDIM and PLMS on the point of their deterministic path at abar[0], where the references stop); and the
 * schedules against values recomputed here from the published formulas.
 */
class SamplerTest {
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.sd15();

    /** alpha-bar of SD 1.x recomputed independently: betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2. */
    private static double[] referenceAlphaBar() {
        double[] ab = new double[1000];
        double prod = 1;
        for (int i = 0; i < 1000; i++) {
            double sb = Math.sqrt(0.00085) + i * (Math.sqrt(0.012) - Math.sqrt(0.00085)) / 999;
            prod *= 1 - sb * sb;
            ab[i] = prod;
        }
        return ab;
    }

    private static double refSigma(double[] ab, int t) {
        return Math.sqrt((1 - ab[t]) / ab[t]);
    }

    static List<Sampler> samplers() {
        return Sampler.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void landsOnTheSingleDataPoint(Sampler sampler) {
        int n = 2 * 4 * 8 * 8;
        Random r = new Random(7);
        float[] x0 = new float[n], noise = new float[n];
        for (int i = 0; i < n; i++) {
            x0[i] = (float) (2 * r.nextDouble() - 1);
            noise[i] = (float) r.nextGaussian();
        }
        Denoiser ideal = (x, t) -> {
            double s = SCHEDULE.tToSigma(t), ab = 1 / (1 + s * s);
            float[] e = new float[x.length];
            for (int i = 0; i < x.length; i++) e[i] = (float) ((x[i] - Math.sqrt(ab) * x0[i]) / Math.sqrt(1 - ab));
            return e;
        };
        AtomicInteger steps = new AtomicInteger();
        float[] out =
                sampler.sample(ideal, SCHEDULE, noise, 20, LatentNoise.of(LatentNoise.Source.NV, 1), (i, total) -> {
                    assertEquals(steps.incrementAndGet(), i);
                    assertEquals(20, total);
                });
        assertEquals(20, steps.get(), "one report per step");
        float[] expected = x0;
        if (sampler instanceof DdimSampler || sampler instanceof PlmsSampler) {
            // The first step starts at t = 951 (20 "leading" steps) from plain noise; the ideal model's eps then stays
            // constant along the deterministic path, which ends at abar[0].
            double[] ab = referenceAlphaBar();
            double aT = ab[951], a0 = ab[0];
            expected = new float[n];
            for (int i = 0; i < n; i++) {
                double eps = (noise[i] - Math.sqrt(aT) * x0[i]) / Math.sqrt(1 - aT);
                expected[i] = (float) (Math.sqrt(a0) * x0[i] + Math.sqrt(1 - a0) * eps);
            }
        }
        double maxErr = 0;
        for (int i = 0; i < n; i++) maxErr = Math.max(maxErr, Math.abs(out[i] - expected[i]));
        assertTrue(maxErr < 2e-4, sampler.name() + " ends " + maxErr + " away from the data point");
    }

    private static Denoiser idealFor(float[] x0) {
        return (x, t) -> {
            double s = SCHEDULE.tToSigma(t), ab = 1 / (1 + s * s);
            float[] e = new float[x.length];
            for (int i = 0; i < x.length; i++) e[i] = (float) ((x[i] - Math.sqrt(ab) * x0[i]) / Math.sqrt(1 - ab));
            return e;
        };
    }

    private static boolean variancePreserving(Sampler s) {
        return s instanceof DdimSampler || s instanceof PlmsSampler;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void img2imgRunsTheTailOfTheScheduleAndLandsOnTheData(Sampler sampler) {
        int n = 64;
        Random r = new Random(3);
        float[] x0 = new float[n], noise = new float[n];
        for (int i = 0; i < n; i++) {
            x0[i] = (float) (2 * r.nextDouble() - 1);
            noise[i] = (float) r.nextGaussian();
        }
        AtomicInteger steps = new AtomicInteger();
        float[] out = sampler.sample(
                idealFor(x0),
                SCHEDULE,
                x0,
                noise,
                20,
                0.5,
                LatentNoise.of(LatentNoise.Source.NV, 1),
                (i, total) -> steps.incrementAndGet());
        // A1111 k-diffusion img2img: t_enc = int(0.5 * 20) = 10, sigmas from index 20 - 10 - 1 = 9: 11 steps;
        // diffusers (DDIM, PLMS, UniPC): the last int(20 * 0.5) = 10 timesteps.
        boolean kdiff = !(variancePreserving(sampler) || sampler instanceof UniPcSampler);
        assertEquals(kdiff ? 11 : 10, steps.get());
        double a0 = referenceAlphaBar()[0];
        for (int i = 0; i < n; i++) {
            // Starting on the data point's own path, the ideal eps is exactly the noise drawn.
            double expected =
                    variancePreserving(sampler) ? Math.sqrt(a0) * x0[i] + Math.sqrt(1 - a0) * noise[i] : x0[i];
            assertEquals(expected, out[i], 2e-4, sampler.name() + " element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void maskedDenoiserKeepsTheOriginalWhereMasked(Sampler sampler) {
        if (variancePreserving(sampler)) return; // they stop at abar[0], not on clean data
        int n = 64;
        Random r = new Random(5);
        float[] x0 = new float[n], init = new float[n], keep = new float[n], noise = new float[n];
        for (int i = 0; i < n; i++) {
            x0[i] = (float) (2 * r.nextDouble() - 1);
            init[i] = (float) (2 * r.nextDouble() - 1);
            keep[i] = i % 2;
            noise[i] = (float) r.nextGaussian();
        }
        Denoiser masked = new MaskedDenoiser(idealFor(x0), SCHEDULE, init, keep);
        float[] out = sampler.sample(
                masked, SCHEDULE, init, noise, 20, 1.0, LatentNoise.of(LatentNoise.Source.NV, 1), (i, t) -> {});
        for (int i = 0; i < n; i++)
            assertEquals(keep[i] == 1 ? init[i] : x0[i], out[i], 2e-4, sampler.name() + " element " + i);
    }

    @Test
    void alphaBarAndSigmaRangeAreSd15s() {
        double[] ab = referenceAlphaBar();
        for (int t : new int[] {0, 1, 250, 500, 999}) assertEquals(ab[t], SCHEDULE.alphaCumprod(t), 1e-12);
        // k-diffusion / A1111 report sigma_min 0.0292, sigma_max 14.6146 for SD 1.x.
        assertEquals(0.0292, SCHEDULE.sigmaMin(), 1e-4);
        assertEquals(14.6146, SCHEDULE.sigmaMax(), 1e-4);
    }

    @Test
    void uniformSigmasFollowKDiffusion() {
        double[] ab = referenceAlphaBar();
        double[] s = SCHEDULE.sigmasUniform(10); // t = linspace(999, 0, 10) = 999, 888, ..., 0: whole steps
        assertEquals(11, s.length);
        for (int i = 0; i < 10; i++) assertEquals(refSigma(ab, 999 - 111 * i), s[i], 1e-9);
        assertEquals(0, s[10]);
        double[] s7 = SCHEDULE.sigmasUniform(7); // t = 999, 832.5, ...: log-sigma interpolation
        double t = 832.5, lo = Math.log(refSigma(ab, 832)), hi = Math.log(refSigma(ab, 833));
        assertEquals(Math.exp(0.5 * lo + 0.5 * hi), s7[1], 1e-9);
        assertEquals(t, SCHEDULE.sigmaToT(s7[1]), 1e-6);
    }

    @Test
    void karrasSigmasFollowTheFormula() {
        double[] ab = referenceAlphaBar();
        double min = refSigma(ab, 0), max = refSigma(ab, 999);
        double[] s = SCHEDULE.sigmasKarras(10);
        for (int i = 0; i < 10; i++) {
            double v =
                    Math.pow(Math.pow(max, 1 / 7.0) + i / 9.0 * (Math.pow(min, 1 / 7.0) - Math.pow(max, 1 / 7.0)), 7);
            assertEquals(v, s[i], 1e-9);
        }
        assertEquals(0, s[10]);
    }

    @Test
    void discreteTimestepsFollowTheReferences() {
        int[] ddim = SCHEDULE.timestepsLeading(50); // CompVis uniform: 981, 961, ..., 1
        assertEquals(981, ddim[0]);
        assertEquals(1, ddim[49]);
        assertEquals(20, ddim[0] - ddim[1]);
        assertArrayEquals(new int[] {751, 501, 251, 1}, SCHEDULE.timestepsLeading(4));
        assertArrayEquals(
                new int[] {
                    999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50
                },
                SCHEDULE.timestepsLinspace(20));
    }

    @Test
    void lmsCoefficientsIntegrateTheLagrangeBasis() {
        double[] t = {10, 7, 4.5, 2.5, 1};
        // Order 1: the step length; order 2 at i=1: integral over [7, 4.5] of (tau - 10)/(7 - 10).
        assertEquals(-3, LmsSampler.coefficient(1, t, 0, 0), 1e-12);
        double f = (4.5 - 7) * (((4.5 + 7) / 2) - 10) / (7 - 10);
        assertEquals(f, LmsSampler.coefficient(2, t, 1, 0), 1e-12);
    }

    @Test
    void unknownSamplerIsAnInputError() {
        var e = Assertions.assertThrows(InputException.class, () -> Sampler.byName("Heun++"));
        assertTrue(e.getMessage().contains("Heun++"));
        assertEquals("DPM++ 2M Karras", Sampler.byName("dpm++ 2m karras").name());
    }
}
