package studio.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.weights.CheckpointException;
import studio.weights.StateDict;

/**
 * A1111-style {@code .ckpt} files (torch.save of {"state_dict": ..., "global_step": ...}) open
 * under the single-file key names. The fixture was written by PyTorch itself
 * ({@code tools/make_ckpt_fixture.py}, Debian's python3-torch): three SD keys with tiny shapes, one in fp16.
 */
class CkptCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void stateDictInsideCkptIsReadWithItsValues() {
        try (StateDict d = Sd15Checkpoint.open(Path.of("src/test/resources/diffusion/tiny-a1111.ckpt"))) {
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, d.floats(UNet.PREFIX + "input_blocks.0.0.weight"));
            assertArrayEquals(
                    new long[] {2, 3, 1, 1},
                    d.info(UNet.PREFIX + "input_blocks.0.0.weight").shape());
            assertArrayEquals(
                    new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f},
                    d.floats(TextEncoder.PREFIX + "embeddings.token_embedding.weight"));
        }
    }

    @Test
    void ckptThatIsNotAModelNamesTheFile() throws Exception {
        Path bad = Files.writeString(dir.resolve("junk.ckpt"), "not a checkpoint");
        var e = assertThrows(CheckpointException.class, () -> Sd15Checkpoint.open(bad));
        assertTrue(e.getMessage().contains("junk.ckpt"), e.getMessage());
    }
}
