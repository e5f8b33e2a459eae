package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/**
 * The text encoder and the UNet under fp16 autocast (what {@code portrait --precision fp16} runs
 * on a GPU; emulated on the CPU) against the fp32 reference outputs. Bound: cosine similarity ≥
 * 0.9999 per prompt row of CLIP's hidden states (clip skip 1 and 2) and for the UNet's noise
 * prediction, and relative RMS error ≤ 1%: fp16's 11-bit mantissa gives ≈ 0.05% per rounding,
 * which twelve transformer blocks (CLIP) or the UNet's blocks grow to about 0.1% (measured 0.08%
 * and 0.15%); the margin covers the GPU's own kernels. The sampler integrates the noise
 * prediction over its steps, so its direction is what must hold.
 */
class DiffusionHalfGoldenTest {
    static final double MIN_COSINE = 0.9999, MAX_RELATIVE_RMS = 0.01;

    @Test
    void clipHiddenStatesInFp16() {
        Compute half = Golden.compute(Compute.Precision.FP16);
        try (SafeTensors golden = Golden.open("sd15/clip_text.safetensors");
                NDManager m = half.newManager()) {
            ProceduralWeights weights =
                    new ProceduralWeights(Golden.salt(golden), Golden.schema("sd15/schema.json", "text_encoder"));
            long[] flat = golden.longs("in.tokens");
            int rows = (int) golden.info("in.tokens").shape()[0];
            int[][] ids = new int[rows][TextEncoder.TOKENS];
            for (int b = 0; b < rows; b++)
                for (int t = 0; t < TextEncoder.TOKENS; t++) ids[b][t] = (int) flat[b * TextEncoder.TOKENS + t];
            try (TextEncoder encoder = TextEncoder.load(weights, m);
                    Autocast.Scope cast = half.autocast()) {
                for (int clipSkip : new int[] {1, 2}) {
                    float[] expected = golden.floats(clipSkip == 1 ? "out.last_hidden" : "out.penultimate_hidden");
                    float[] actual = encoder.hidden(m, ids, clipSkip).toFloatArray();
                    int row = TextEncoder.TOKENS * TextEncoder.WIDTH;
                    for (int b = 0; b < rows; b++)
                        check("CLIP clip skip " + clipSkip + " row " + b, expected, actual, b * row, row);
                }
            }
        }
    }

    @Test
    void unetNoisePredictionInFp16() {
        Compute half = Golden.compute(Compute.Precision.FP16);
        try (SafeTensors golden = Golden.open("sd15/sd15_unet_vae.safetensors");
                NDManager m = half.newManager()) {
            Map<String, long[]> shapes = new LinkedHashMap<>(Golden.schema("sd15/schema.json", "unet"));
            try (UNet unet = UNet.load(new ProceduralWeights(Golden.salt(golden), shapes), m);
                    Autocast.Scope cast = half.autocast()) {
                long[] ts = golden.longs("in.timesteps");
                float[] t = new float[ts.length];
                for (int i = 0; i < t.length; i++) t[i] = ts[i];
                NDArray latent = m.create(
                        golden.floats("in.latent"),
                        new Shape(golden.info("in.latent").shape()));
                NDArray context = m.create(
                        golden.floats("in.context"),
                        new Shape(golden.info("in.context").shape()));
                float[] eps = unet.forward(latent, t, context).toFloatArray();
                float[] expected = golden.floats("out.eps");
                check("UNet eps", expected, eps, 0, expected.length);
            }
        }
    }

    private static void check(String what, float[] expected, float[] actual, int from, int n) {
        double dot = 0, ee = 0, aa = 0, err = 0;
        for (int i = from; i < from + n; i++) {
            dot += (double) expected[i] * actual[i];
            ee += (double) expected[i] * expected[i];
            aa += (double) actual[i] * actual[i];
            double d = actual[i] - expected[i];
            err += d * d;
        }
        double cosine = dot / Math.sqrt(ee * aa), rel = Math.sqrt(err / ee);
        System.out.printf("fp16 %s vs fp32 reference: cosine %.6f, relative RMS %.4f%n", what, cosine, rel);
        assertTrue(cosine >= MIN_COSINE, what + ": cosine " + cosine);
        assertTrue(rel <= MAX_RELATIVE_RMS, what + ": relative RMS " + rel);
        assertTrue(rel > 0, what + ": identical to fp32, autocast did not run");
    }
}
