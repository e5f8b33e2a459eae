package studio.render.neural;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Compute;
import studio.weights.SafeTensors;

/**
 * The face renderer under fp16 autocast (what {@code --precision fp16} runs on a GPU; here on the
 * CPU, whose fp16 kernels round the same way) against the fp32 reference frames of the golden
 * file. Bound, in 8-bit levels of the [0, 1] frame: mean |Δ| ≤ 1 and max |Δ| ≤ 6. fp16 keeps 11
 * significant bits, so each convolution's result is off by ≈ 2⁻¹¹ relative; through the
 * renderer's ~40 layers and the occlusion-weighted warp that accumulates to well under one level
 * on average, and to a few levels at edges where the warp's sample point moves by a fraction of a
 * pixel. Measured on crop: see the README's precision table.
 */
class FacerenderHalfGoldenTest {
    static final double MEAN_LEVELS = 1.0, MAX_LEVELS = 6.0;

    /**
     * bf16 (what {@code --precision auto} runs on a CPU with AMX or AVX512-BF16): mean |Δ| ≤ 4, max
     * |Δ| ≤ 24 levels, four times the fp16 bound. bf16 keeps 8 significant bits against fp16's 11,
     * so every rounding is 8× larger; the measured bf16/fp16 error ratio is 5–6× here (bf16 mean
     * 2.06, max 15.1 levels; fp16 0.37, 3.5). The large values sit on edges, where a keypoint moved
     * by a fraction of a pixel moves the warp's sample point.
     */
    static final double BF16_MEAN_LEVELS = 4.0, BF16_MAX_LEVELS = 24.0;

    @Test
    void fp16FramesStayWithinBoundOfTheReference() {
        check(Compute.Precision.FP16, MEAN_LEVELS, MAX_LEVELS);
    }

    @Test
    void bf16FramesStayWithinBoundOfTheReference() {
        check(Compute.Precision.BF16, BF16_MEAN_LEVELS, BF16_MAX_LEVELS);
    }

    private static void check(Compute.Precision precision, double meanBound, double maxBound) {
        String name = precision.id();
        try (SafeTensors golden = Golden.open("sadtalker/facerender_crop.safetensors")) {
            Compute half = Golden.compute(precision);
            try (FaceRenderer renderer = FaceRenderer.open(
                            FacerenderGoldenCase.generatorKp(golden, "crop"),
                            FacerenderGoldenCase.mapping(golden, "crop"),
                            false,
                            256,
                            half);
                    FaceRenderer.Source source =
                            renderer.prepare(golden.floats("in.source_image"), golden.floats("in.source_semantics"))) {
                long[] ts = golden.info("in.target_semantics").shape();
                int frames = (int) ts[1];
                float[] out = renderer.renderWindows(
                        source, golden.floats("in.target_semantics"), frames, null, null, null, 0);
                float[] expected = golden.floats("out.predictions");
                double sum = 0, max = 0;
                for (int i = 0; i < expected.length; i++) {
                    double d = Math.abs(out[i] - expected[i]) * 255;
                    sum += d;
                    max = Math.max(max, d);
                }
                double mean = sum / expected.length;
                System.out.printf(
                        "%s face renderer vs fp32 reference: mean %.3f, max %.2f levels of 255%n", name, mean, max);
                assertTrue(mean <= meanBound, name + " mean |Δ| " + mean + " levels > " + meanBound);
                assertTrue(max <= maxBound, name + " max |Δ| " + max + " levels > " + maxBound);
                // and it is not the fp32 path: the reduced precision leaves a trace
                assertTrue(max > 0, name + " output identical to fp32: autocast did not run");
            }
        }
    }
}
