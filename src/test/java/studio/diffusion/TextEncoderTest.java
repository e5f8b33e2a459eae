package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Collections;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.weights.ProceduralWeights;

/**
 * The CLIP text tower on procedural weights. No golden output exists for it yet, so this checks
 * structure only: every key read, output shapes (77 per chunk), determinism, the causal mask
 * (a token's state ignores later tokens) and emphasis (weights 1 change nothing; a weight changes
 * only what the A1111 rule says).
 */
class TextEncoderTest {
    private static NDManager manager;
    private static TextEncoder encoder;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        encoder = TextEncoder.load(new ProceduralWeights("", Sd15Checkpoint.textEncoderShapes()), manager);
    }

    @AfterAll
    static void close() {
        encoder.close();
        manager.close();
    }

    @Test
    void readsEveryKey() {
        assertEquals(new TreeSet<>(Sd15Checkpoint.textEncoderShapes().keySet()), new TreeSet<>(encoder.loadedKeys()));
    }

    @Test
    void shapesAndDeterminism() {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = encoder.encode(m, "a photo of a woman", 1);
            NDArray b = encoder.encode(m, "a photo of a woman", 1);
            assertArrayEquals(new long[] {1, 77, 768}, a.getShape().getShape());
            assertArrayEquals(a.toFloatArray(), b.toFloatArray());
            for (float v : a.toFloatArray()) assertTrue(Float.isFinite(v));
            String longPrompt = String.join(" ", Collections.nCopies(100, "face"));
            assertArrayEquals(
                    new long[] {1, 154, 768},
                    encoder.encode(m, longPrompt, 1).getShape().getShape());
            assertArrayEquals(
                    new long[] {1, 77, 768},
                    encoder.encode(m, "a photo of a woman", 2).getShape().getShape());
        }
    }

    @Test
    void causalMaskHidesLaterTokens() {
        try (NDManager m = manager.newSubManager()) {
            float[] a = encoder.encode(m, "a cat", 1).toFloatArray();
            float[] b = encoder.encode(m, "a cat sitting on a chair", 1).toFloatArray();
            int prefix = 3 * 768; // start token, "a", "cat"
            float[] pa = Arrays.copyOf(a, prefix), pb = Arrays.copyOf(b, prefix);
            for (int i = 0; i < prefix; i++) assertEquals(pa[i], pb[i], 1e-5f, "position " + i / 768);
            assertFalse(Arrays.equals(
                    Arrays.copyOfRange(a, prefix, prefix + 768), Arrays.copyOfRange(b, prefix, prefix + 768)));
        }
    }

    @Test
    void emphasisScalesTokenStatesAndKeepsTheMean() {
        try (NDManager m = manager.newSubManager()) {
            var plain = PromptChunks.of("a red house", ClipTokenizer.get());
            var weighted = PromptChunks.of("a (red:1.5) house", ClipTokenizer.get());
            assertArrayEquals(plain.get(0).tokens(), weighted.get(0).tokens());
            float[] z = encoder.encode(m, plain, 1).toFloatArray();
            float[] zw = encoder.encode(m, weighted, 1).toFloatArray();
            double mean = 0, meanW = 0;
            for (int i = 0; i < z.length; i++) {
                mean += z[i];
                meanW += zw[i];
            }
            assertEquals(mean / z.length, meanW / z.length, 1e-4);
            // token 2 ("red") is scaled 1.5 relative to its neighbours: the ratio zw/z is 1.5x that of token 1.
            double r1 = zw[768] / z[768], r2 = zw[2 * 768] / z[2 * 768];
            assertEquals(1.5, r2 / r1, 1e-3);
        }
    }
}
