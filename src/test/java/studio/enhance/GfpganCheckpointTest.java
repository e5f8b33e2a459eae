package studio.enhance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.StateDict;

/**
 * Loading GFPGAN from a checkpoint laid out like the official GFPGANv1.4.pth: written by PyTorch's
 * torch.save (tools/make_gfpgan_pth_fixture.py), full-size tensors as stride-0 views of one value
 * each, {@code (i + 1) / 1024} for the i-th key of the schema, under {@code params_ema}.
 */
class GfpganCheckpointTest {
    static final Path FIXTURE = Path.of("src/test/resources/enhance/gfpgan_v14_params_ema.pth");

    @TempDir
    Path tmp;

    @Test
    void findsTheWeightsUnderParamsEmaWithTheValuesPyTorchWrote() {
        try (StateDict checkpoint = Checkpoints.open(FIXTURE)) {
            StateDict weights = Gfpgan.weightsOf(checkpoint);
            Gfpgan.validate(weights);
            List<String> keys = List.copyOf(Gfpgan.expectedShapes().keySet());
            for (int i : new int[] {0, 41, keys.indexOf("final_linear.weight"), keys.size() - 1}) {
                String k = keys.get(i);
                assertArrayEquals(
                        Gfpgan.expectedShapes().get(k), weights.info(k).shape(), k);
                float[] v = weights.floats(k);
                assertEquals((i + 1) / 1024f, v[0], k);
                assertEquals((i + 1) / 1024f, v[v.length - 1], k);
            }
        }
    }

    @Test
    void buildsTheNetworkFromThePthFile() {
        // every tensor goes through the .pth reader into the network's NDArrays (a failure throws)
        try (NDManager base = NDManager.newBaseManager()) {
            assertDoesNotThrow(() -> Gfpgan.load(FIXTURE, base).close());
        }
    }

    @Test
    void aFileOfAnotherNetworkIsRejectedNamingTheFile() throws Exception {
        Path other = tmp.resolve("not_gfpgan.pth.tar");
        Files.copy(Path.of("src/test/resources/weights/tiny_zip.pth.tar"), other);
        try (NDManager base = NDManager.newBaseManager()) {
            var e = assertThrows(CheckpointException.class, () -> Gfpgan.load(other, base));
            assertTrue(
                    e.getMessage().startsWith(other.toString())
                            && e.getMessage().contains("missing tensors conv_body_first.weight"),
                    e.getMessage());
        }
    }
}
