package studio.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.weights.CheckpointException;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;
import studio.weights.TensorInfo;

/** GFPGAN v1.4 (clean) against the reference's output with procedural weights. */
class GfpganGoldenTest {
    private static final String SCHEMA = "gfpgan/schema.json";
    private static final String GROUP = "gfpgan_v14 (inside params_ema)";

    /** fp16 bound in 8-bit levels of the [-1, 1] face: mean |Δ| ≤ 0.25, max |Δ| ≤ 2 (measured 0.03 and 0.13 with the CPU emulation; the margin is for the GPU's own kernels and summation order). */
    static final double HALF_MEAN_LEVELS = 0.25, HALF_MAX_LEVELS = 2.0;

    /**
     * bf16 bound: four times the fp16 one, mean |Δ| ≤ 1, max |Δ| ≤ 8 levels. bf16 rounds to 8
     * significant bits against fp16's 11 (8× the error per rounding); measured 0.16–0.23 and 0.9–1.1 levels,
     * 9× fp16's, which the fp16 bound's margin absorbs.
     */
    static final double BF16_MEAN_LEVELS = 1.0, BF16_MAX_LEVELS = 8.0;

    @Test
    void restoresTheGoldenFaceInFp16WithinBound() {
        reduced(Compute.Precision.FP16, HALF_MEAN_LEVELS, HALF_MAX_LEVELS);
    }

    @Test
    void restoresTheGoldenFaceInBf16WithinBound() {
        reduced(Compute.Precision.BF16, BF16_MEAN_LEVELS, BF16_MAX_LEVELS);
    }

    private static void reduced(Compute.Precision precision, double meanBound, double maxBound) {
        String name = precision.id();
        Compute half = Golden.compute(precision);
        try (SafeTensors golden = Golden.open("gfpgan/gfpgan_v14.safetensors");
                NDManager base = half.newManager();
                Gfpgan net =
                        new Gfpgan(new ProceduralWeights(Golden.salt(golden), Golden.schema(SCHEMA, GROUP)), base);
                NDManager batch = base.newSubManager();
                Autocast.Scope cast = half.autocast()) {
            TensorInfo in = golden.info("in.face");
            float[] out = net.restore(batch.create(golden.floats("in.face"), new Shape(in.shape())))
                    .toFloatArray();
            float[] expected = golden.floats("out.restored");
            double sum = 0, max = 0;
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs(out[i] - expected[i]) * 127.5;
                sum += d;
                max = Math.max(max, d);
            }
            double mean = sum / expected.length;
            System.out.printf("%s GFPGAN vs fp32 reference: mean %.3f, max %.2f levels of 255%n", name, mean, max);
            assertTrue(mean <= meanBound, name + " mean |Δ| " + mean + " levels");
            assertTrue(max <= maxBound, name + " max |Δ| " + max + " levels");
            assertTrue(max > 0, name + " output identical to fp32: autocast did not run");
        }
    }

    @Test
    void restoresTheGoldenFace() {
        Compute compute = Golden.compute(Compute.Precision.FP32);
        try (SafeTensors golden = Golden.open("gfpgan/gfpgan_v14.safetensors");
                NDManager base = compute.newManager();
                Gfpgan net =
                        new Gfpgan(new ProceduralWeights(Golden.salt(golden), Golden.schema(SCHEMA, GROUP)), base)) {
            int weights = base.getManagedArrays().size();
            try (NDManager batch = base.newSubManager()) {
                TensorInfo in = golden.info("in.face");
                NDArray face = batch.create(golden.floats("in.face"), new Shape(in.shape()));
                NDArray out = net.restore(face);
                Golden.assertShape(
                        "out.restored",
                        golden.info("out.restored").shape(),
                        out.getShape().getShape());
                Golden.assertClose("out.restored", golden.floats("out.restored"), out.toFloatArray());
            }
            // every frame's arrays go with its batch: none may pile up beside the weights over a long video
            assertEquals(weights, base.getManagedArrays().size(), "arrays left behind by a restore");
        }
    }

    @Test
    void expectsExactlyTheKeysOfTheSchema() {
        Map<String, long[]> schema = Golden.schema(SCHEMA, GROUP);
        Map<String, long[]> expected = Gfpgan.expectedShapes();
        assertEquals(schema.keySet(), expected.keySet());
        schema.forEach((k, s) -> assertEquals(Arrays.toString(s), Arrays.toString(expected.get(k)), k));
        Gfpgan.validate(new ProceduralWeights("", schema)); // all accepted
    }

    @Test
    void namesAMissingTensor() {
        Map<String, long[]> schema = new LinkedHashMap<>(Golden.schema(SCHEMA, GROUP));
        schema.remove("stylegan_decoder.to_rgbs.3.modulated_conv.modulation.bias");
        var e = assertThrows(CheckpointException.class, () -> Gfpgan.validate(new ProceduralWeights("", schema)));
        assertTrue(
                e.getMessage().contains("missing tensors stylegan_decoder.to_rgbs.3.modulated_conv.modulation.bias"),
                e.getMessage());
    }

    @Test
    void namesAMisShapedTensor() {
        Map<String, long[]> schema = new LinkedHashMap<>(Golden.schema(SCHEMA, GROUP));
        schema.put("final_linear.bias", new long[] {512});
        var e = assertThrows(CheckpointException.class, () -> Gfpgan.validate(new ProceduralWeights("", schema)));
        assertTrue(e.getMessage().contains("final_linear.bias [512] (expected [8192])"), e.getMessage());
    }
}
