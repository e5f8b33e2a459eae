package studio.motion;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import studio.golden.Golden;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/** audio2exp + audio2pose + smoothing against SadTalker's own outputs (shared/golden/sadtalker). */
class Audio2CoeffGoldenTest {
    @Test
    void reproducesSadTalkerCoefficients() {
        Audio2Coeff.Result r = run(Compute.Precision.FP32);
        try (SafeTensors g = Golden.open("sadtalker/audio2coeff.safetensors")) {
            int frames = (int) g.info("in.indiv_mels").shape()[0];
            Golden.assertClose("exp_coeff", g.floats("out.exp_coeff"), r.expression());
            Golden.assertClose("coeff_3dmm", g.floats("out.coeff_3dmm"), r.coefficients());
            // The pose columns on their own, so the expression's range does not loosen their tolerance.
            float[] all = g.floats("out.coeff_3dmm"), refPose = new float[frames * 6];
            for (int f = 0; f < frames; f++) System.arraycopy(all, f * 70 + 64, refPose, f * 6, 6);
            Golden.assertClose("smoothed pose", refPose, r.pose());
        }
    }

    /** Under fp16 and bf16 autocast, within {@link Golden#assertDirection(String, float[], float[], Compute.Precision)}'s bound. */
    @ParameterizedTest
    @EnumSource(
            value = Compute.Precision.class,
            names = {"FP16", "BF16"})
    void reducedPrecisionCoefficientsStayWithinBound(Compute.Precision precision) {
        Audio2Coeff.Result r = run(precision);
        try (SafeTensors g = Golden.open("sadtalker/audio2coeff.safetensors")) {
            float[] exp = g.floats("out.exp_coeff"), all = g.floats("out.coeff_3dmm");
            Golden.assertDirection("exp_coeff", exp, r.expression(), precision);
            Golden.assertDirection("coeff_3dmm", all, r.coefficients(), precision);
        }
    }

    private static Audio2Coeff.Result run(Compute.Precision precision) {
        try (SafeTensors g = Golden.open("sadtalker/audio2coeff.safetensors")) {
            Map<String, long[]> shapes = new LinkedHashMap<>(Golden.schema("sadtalker/schema.json", "audio2exp"));
            shapes.putAll(Golden.schema("sadtalker/schema.json", "audio2pose"));
            int frames = (int) g.info("in.indiv_mels").shape()[0];
            int noiseCount = Integer.parseInt(g.metadata().get("noise_count"));
            float[][] draws = new float[noiseCount][];
            for (int i = 0; i < noiseCount; i++) draws[i] = g.floats("noise." + i);
            int[] next = {0};
            NoiseSource recorded = n -> draws[next[0]++];

            float[] ref = g.floats("in.ref_coeff");
            float[] perFrame = new float[frames * 70];
            for (int f = 0; f < frames; f++) System.arraycopy(ref, 0, perFrame, f * 70, 70);
            try (Audio2Coeff net = Audio2Coeff.load(
                            new ProceduralWeights(Golden.salt(g), shapes),
                            Golden.compute(precision).device());
                    Autocast.Scope cast = Autocast.enter(precision)) {
                Audio2Coeff.Result r = net.generate(
                        g.floats("in.indiv_mels"),
                        frames,
                        perFrame,
                        g.floats("in.blink_ratio"),
                        (int) g.longs("in.pose_style")[0],
                        recorded);
                Assertions.assertEquals(noiseCount, next[0], "latent draws used");
                return r;
            }
        }
    }
}
