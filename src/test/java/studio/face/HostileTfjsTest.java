package studio.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.weights.CheckpointException;

/**
 * Hostile face-api.js weight manifests, written here: wrong or overflowing shapes, missing
 * fields and shard paths that leave the model folder must fail as one short line naming the
 * manifest, never an NPE, a libtorch error or a read of {@code /dev/zero}.
 */
@Timeout(20)
class HostileTfjsTest {
    @TempDir
    Path tmp;

    private Path model() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("face-api"));
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 6; i++) b.putFloat(i);
        Files.write(dir.resolve("m.bin"), b.array());
        return dir;
    }

    private static String group(String paths, String weights) {
        return "[{\"paths\":" + paths + ",\"weights\":" + weights + "}]";
    }

    private static final String GOOD_WEIGHTS = "[{\"name\":\"conv/filters\",\"shape\":[2,3],\"dtype\":\"float32\"}]";

    private static String assertRejected(Path dir, String manifest, String problem) throws IOException {
        Path file = dir.resolve("m-weights_manifest.json");
        Files.writeString(file, manifest);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TfjsWeights.open(dir, "m"));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": "), m);
        assertTrue(m.contains(problem), "says '" + problem + "': " + m);
        assertTrue(m.length() < file.toString().length() + 200 && m.lines().count() == 1, "one short line: " + m);
        return m;
    }

    @Test
    void validManifestsLoad() throws IOException {
        Path dir = model();
        Files.writeString(dir.resolve("m-weights_manifest.json"), group("[\"m.bin\"]", GOOD_WEIGHTS));
        TfjsWeights w = TfjsWeights.open(dir, "m");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats("conv/filters"));
        for (String model : new String[] {"tiny_face_detector_model", "face_landmark_68_model"}) {
            TfjsWeights real = TfjsWeights.open(Path.of("checkpoints/face-api"), model);
            assertTrue(real.keys().size() > 5, model);
        }
    }

    @Test
    void badShapesAndFieldsAreOneLine() throws IOException {
        Path dir = model();
        String p = "[\"m.bin\"]";
        assertRejected(
                dir,
                group(p, "[{\"name\":\"a\",\"shape\":[2,4],\"dtype\":\"float32\"}]"),
                "weight shards end before tensor 'a'");
        assertRejected(
                dir,
                group(p, "[{\"name\":\"a\",\"shape\":[2,2],\"dtype\":\"float32\"}]"),
                "hold 24 bytes but the manifest describes 16");
        assertRejected(
                dir,
                group(p, "[{\"name\":\"a\",\"shape\":[4294967296,4294967296],\"dtype\":\"float32\"}]"),
                "overflows");
        // 2^30 floats: 2^32 bytes, which an int product wrapped to 0
        assertRejected(
                dir,
                group(p, "[{\"name\":\"a\",\"shape\":[268435456,4],\"dtype\":\"float32\"}]"),
                "weight shards end before");
        assertRejected(dir, group(p, "[{\"name\":\"a\",\"shape\":[-6],\"dtype\":\"float32\"}]"), "negative size");
        assertRejected(
                dir, group(p, "[{\"name\":\"a\",\"shape\":\"6\",\"dtype\":\"float32\"}]"), "shape is not a list");
        assertRejected(
                dir,
                group(p, "[{\"name\":\"a\",\"shape\":[1.5],\"dtype\":\"float32\"}]"),
                "not a list of whole numbers");
        assertRejected(dir, group(p, "[{\"name\":\"a\",\"shape\":[6]}]"), "dtype is not a string");
        assertRejected(dir, group(p, "[{\"shape\":[6],\"dtype\":\"float32\"}]"), "weight name is not a string");
        assertRejected(
                dir,
                group(
                        p,
                        "[{\"name\":\"a\",\"shape\":[6],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint4\"}}]"),
                "unsupported storage type");
        assertRejected(
                dir,
                group(
                        p,
                        "[{\"name\":\"a\",\"shape\":[3],\"dtype\":\"float32\"},{\"name\":\"a\",\"shape\":[3],\"dtype\":\"float32\"}]"),
                "appears twice");
        assertRejected(dir, "[{\"weights\":" + GOOD_WEIGHTS + "}]", "'paths' is not a list");
        assertRejected(dir, group("[]", GOOD_WEIGHTS), "no 'paths'");
        assertRejected(dir, "{\"paths\":[]}", "the manifest is not a list");
        assertRejected(dir, "[7]", "weight group is not an object");
        assertRejected(
                dir,
                group(p, "[{\"name\":\"" + "n".repeat(1_000_000) + "\",\"shape\":[7],\"dtype\":\"float32\"}]"),
                "shards end before");
        assertRejected(dir, "[{", "not a TensorFlow.js weights manifest");
    }

    @Test
    void shardPathsStayInsideTheModelFolder() throws IOException {
        Path dir = model();
        assertRejected(dir, group("[\"../../etc/hostname\"]", GOOD_WEIGHTS), "not a plain file name");
        assertRejected(dir, group("[\"/dev/zero\"]", GOOD_WEIGHTS), "not a plain file name");
        assertRejected(dir, group("[\"..\"]", GOOD_WEIGHTS), "not a plain file name");
        assertRejected(dir, group("[7]", GOOD_WEIGHTS), "shard path is not a string");
        assertRejected(dir, group("[\"gone.bin\"]", GOOD_WEIGHTS), "'gone.bin' is missing");
        Files.createDirectory(dir.resolve("sub.bin"));
        assertRejected(dir, group("[\"sub.bin\"]", GOOD_WEIGHTS), "not a regular file");
        // Symlinks: out of the folder (to a real file, to /dev/zero) refused; within it followed.
        Path outside = Files.write(tmp.resolve("outside.bin"), new byte[24]);
        Files.createSymbolicLink(dir.resolve("out.bin"), outside);
        assertRejected(dir, group("[\"out.bin\"]", GOOD_WEIGHTS), "leads out of the model folder");
        Files.createSymbolicLink(dir.resolve("zero.bin"), Path.of("/dev/zero"));
        assertRejected(dir, group("[\"zero.bin\"]", GOOD_WEIGHTS), "leads out of the model folder");
        Files.delete(dir.resolve("zero.bin")); // the temp folder cleanup warns about links leaving it
        Files.createSymbolicLink(dir.resolve("alias.bin"), dir.resolve("m.bin"));
        Files.writeString(dir.resolve("m-weights_manifest.json"), group("[\"alias.bin\"]", GOOD_WEIGHTS));
        assertEquals(6, TfjsWeights.open(dir, "m").floats("conv/filters").length);
    }
}
