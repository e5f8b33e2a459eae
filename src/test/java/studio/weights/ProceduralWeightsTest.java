package studio.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProceduralWeightsTest {
    @Test
    void fnvAndSplitmixMatchPublishedVectors() {
        // FNV-1a 64 of "" is the offset basis; of "a" is the published 0xaf63dc4c8601ec8c.
        assertEquals(0xcbf29ce484222325L, ProceduralWeights.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, ProceduralWeights.fnv1a64("a".getBytes()));
        // splitmix64 with state 0: first output is 0xe220a8397b1dcdaf (Vigna's reference).
        assertEquals(0xe220a8397b1dcdafL, ProceduralWeights.splitmix64(0));
    }

    @Test
    void valueRulesFollowLeafNamesAndFanIn() {
        var w = new ProceduralWeights(
                "",
                Map.of(
                        "a.conv.weight",
                        new long[] {8, 3, 3, 3},
                        "a.bn.running_var",
                        new long[] {16},
                        "a.bn.weight",
                        new long[] {16},
                        "a.bn.num_batches_tracked",
                        new long[] {}));
        float[] conv = w.floats("a.conv.weight");
        double bound = Math.sqrt(3.0 / 27);
        for (float v : conv) assertTrue(Math.abs(v) <= bound);
        for (float v : w.floats("a.bn.running_var")) assertTrue(v >= 0.5 && v <= 1.5);
        for (float v : w.floats("a.bn.weight")) assertTrue(v >= 0.9 && v <= 1.1);
        assertEquals(0f, w.floats("a.bn.num_batches_tracked")[0]);
        assertArrayEquals(
                conv,
                new ProceduralWeights("", Map.of("a.conv.weight", new long[] {8, 3, 3, 3})).floats("a.conv.weight"));
        assertFalse(Arrays.equals(
                conv,
                new ProceduralWeights("x", Map.of("a.conv.weight", new long[] {8, 3, 3, 3})).floats("a.conv.weight")));
    }

    @Test
    void missingTensorIsNamed() {
        var w = new ProceduralWeights("", Map.of("x.weight", new long[] {2, 2}));
        var e = assertThrows(CheckpointException.class, () -> w.floats("y.bias"));
        assertTrue(e.getMessage().contains("y.bias"), e.getMessage());
    }
}
