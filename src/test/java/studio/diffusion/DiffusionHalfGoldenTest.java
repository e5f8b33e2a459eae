package studio.diffusion;

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
 *
 * <p>bf16 (the CPU's AMX path): cosine ≥ 0.999 and relative RMS ≤ 4%, four times the fp16 error
 * bound, as bf16's 8-bit mantissa rounds 8× coarser (measured: CLIP cosine 0.99998, RMS 0.6%; UNet
 * cosine 0.99994, RMS 1.1%). A relative error r leaves a cosine of about 1 − r²/2, so 4% keeps it
 * above 0.999.
 */
class DiffusionHalfGoldenTest {
    static final double MIN_COSINE = 0.9999, MAX_RELATIVE_RMS = 0.01;
    static final double BF16_MIN_COSINE = 0.999, BF16_MAX_RELATIVE_RMS = 0.04;

    @Test
    void clipHiddenStatesInFp16() {
        clip(Compute.Precision.FP16, MIN_COSINE, MAX_RELATIVE_RMS);
    }

    @Test
    void clipHiddenStatesInBf16() {
        clip(Compute.Precision.BF16, BF16_MIN_COSINE, BF16_MAX_RELATIVE_RMS);
    }

    @Test
    void unetNoisePredictionInFp16() {
        unet(Compute.Precision.FP16, MIN_COSINE, MAX_RELATIVE_RMS);
    }

    @Test
    void unetNoisePredictionInBf16() {
        unet(Compute.Precision.BF16, BF16_MIN_COSINE, BF16_MAX_RELATIVE_RMS);
    }

    private static void clip(Compute.Precision precision, double minCosine, double maxRms) {
        Compute half = Golden.compute(precision);
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
                        Golden.assertDirection(
                                precision.id() + " CLIP clip skip " + clipSkip + " row " + b,
                                expected,
                                actual,
                                b * row,
                                row,
                                minCosine,
                                maxRms);
                }
            }
        }
    }

    /** The VAE runs bf16 under {@code --precision bf16} (bf16 has fp32's range; only fp16 overflows there). */
    @Test
    void vaeDecodeAndEncodeInBf16() {
        Compute bf16 = Golden.compute(Compute.Precision.BF16);
        try (SafeTensors golden = Golden.open("sd15/sd15_unet_vae.safetensors");
                NDManager m = bf16.newManager()) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (String g : new String[] {"vae_decoder", "vae_encoder", "vae_quant_conv", "vae_post_quant_conv"})
                shapes.putAll(Golden.schema("sd15/schema.json", g));
            try (Autoencoder vae = Autoencoder.load(new ProceduralWeights(Golden.salt(golden), shapes), m);
                    Autocast.Scope cast = bf16.autocast()) {
                NDArray latent = m.create(
                        golden.floats("in.vae_latent"),
                        new Shape(golden.info("in.vae_latent").shape()));
                float[] rgb = vae.decode(latent).toFloatArray(), rgbRef = golden.floats("out.vae_rgb");
                Golden.assertDirection(
                        "bf16 VAE decode", rgbRef, rgb, 0, rgbRef.length, BF16_MIN_COSINE, BF16_MAX_RELATIVE_RMS);
                NDArray image = m.create(
                        golden.floats("in.vae_image"),
                        new Shape(golden.info("in.vae_image").shape()));
                float[] moments = vae.moments(image).toFloatArray(), momentsRef = golden.floats("out.vae_moments");
                Golden.assertDirection(
                        "bf16 VAE encode",
                        momentsRef,
                        moments,
                        0,
                        momentsRef.length,
                        BF16_MIN_COSINE,
                        BF16_MAX_RELATIVE_RMS);
            }
        }
    }

    private static void unet(Compute.Precision precision, double minCosine, double maxRms) {
        Compute half = Golden.compute(precision);
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
                Golden.assertDirection(
                        precision.id() + " UNet eps", expected, eps, 0, expected.length, minCosine, maxRms);
            }
        }
    }
}
