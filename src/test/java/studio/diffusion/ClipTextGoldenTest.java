package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/**
 * The CLIP text encoder against openai/CLIP's text tower (shared/golden/sd15/clip_text): four
 * 77-token rows (three prompts and 75 arbitrary ids) → the last layer's hidden states (clip skip
 * 1) and the 11th layer's (A1111's clip skip 2), both after the final layer norm.
 */
class ClipTextGoldenTest {
    @Test
    void reproducesClipSkip1And2() {
        try (SafeTensors golden = Golden.open("sd15/clip_text.safetensors");
                NDManager m = Golden.compute(Compute.Precision.FP32).newManager()) {
            ProceduralWeights weights =
                    new ProceduralWeights(Golden.salt(golden), Golden.schema("sd15/schema.json", "text_encoder"));
            long[] flat = golden.longs("in.tokens");
            long[] shape = golden.info("in.tokens").shape();
            int[][] ids = new int[(int) shape[0]][TextEncoder.TOKENS];
            for (int b = 0; b < ids.length; b++)
                for (int t = 0; t < TextEncoder.TOKENS; t++) ids[b][t] = (int) flat[b * TextEncoder.TOKENS + t];
            try (TextEncoder encoder = TextEncoder.load(weights, m)) {
                assertEquals(
                        new TreeSet<>(weights.keys()),
                        new TreeSet<>(encoder.loadedKeys()),
                        "every text-encoder key of the schema is read, and nothing else");
                for (int clipSkip : new int[] {1, 2}) {
                    try (NDManager scope = m.newSubManager()) {
                        NDArray h = encoder.hidden(scope, ids, clipSkip);
                        String ref = clipSkip == 1 ? "out.last_hidden" : "out.penultimate_hidden";
                        Golden.assertShape(
                                ref, golden.info(ref).shape(), h.getShape().getShape());
                        float[] expected = golden.floats(ref), actual = h.toFloatArray();
                        int row = TextEncoder.TOKENS * TextEncoder.WIDTH;
                        for (int b = 0; b < ids.length; b++)
                            Golden.assertClose(
                                    "clip skip " + clipSkip + ", row " + b,
                                    Arrays.copyOfRange(expected, b * row, (b + 1) * row),
                                    Arrays.copyOfRange(actual, b * row, (b + 1) * row));
                    }
                }
            }
        }
    }
}
