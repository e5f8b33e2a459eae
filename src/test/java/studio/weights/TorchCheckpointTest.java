package studio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .pth reader against files written by PyTorch itself (tools/make_pth_fixtures.py): both
 * formats must give exactly the tensors PyTorch flattened into tiny_reference.safetensors.
 */
class TorchCheckpointTest {
    static final Path DIR = Path.of("src/test/resources/weights");
    static final Path ZIP = DIR.resolve("tiny_zip.pth.tar");
    static final Path LEGACY = DIR.resolve("tiny_legacy.pth.tar");
    static final Path REFERENCE = DIR.resolve("tiny_reference.safetensors");

    @TempDir
    Path tmp;

    @Test
    void zipArchiveLoadsTheTensorsPyTorchWrote() {
        assertSameAsReference(ZIP, true);
    }

    @Test
    void legacyFormatLoadsTheTensorsPyTorchWrote() {
        assertSameAsReference(LEGACY, false);
    }

    private void assertSameAsReference(Path file, boolean zip) {
        try (StateDict ref = SafeTensors.open(REFERENCE);
                StateDict dict = Checkpoints.open(file)) {
            TorchCheckpoint pth = assertInstanceOf(TorchCheckpoint.class, dict);
            assertEquals(zip, pth.isZip());
            assertEquals(ref.keys(), dict.keys(), "flattened key set");
            for (String k : ref.keys()) {
                assertArrayEquals(ref.info(k).shape(), dict.info(k).shape(), k + " shape");
                assertArrayEquals(ref.floats(k), dict.floats(k), k);
            }
            assertEquals(DType.F16, dict.info("params_ema.half.weight").dtype());
            assertEquals(DType.BF16, dict.info("params_ema.bf16.weight").dtype());
            assertEquals(
                    DType.I64, dict.info("params_ema.bn.num_batches_tracked").dtype());
            assertEquals(DType.F64, dict.info("mapping.fc.bias").dtype());
            assertEquals(12345f, dict.floats("params_ema.bn.num_batches_tracked")[0]);
            assertTrue(pth.topLevelNames().containsAll(List.of("params_ema", "mapping", "epoch", "note", "args")));
            // The nested dict a network reads, seen without its prefix.
            StateDict ema = dict.under("params_ema.");
            assertArrayEquals(ref.floats("params_ema.conv.weight"), ema.floats("conv.weight"));
            assertArrayEquals(new long[] {5, 6}, ema.info("transposed").shape());
        }
    }

    @Test
    void safetensorsIsChosenByContent() throws IOException {
        Path renamed = tmp.resolve("weights.pth"); // a misleading extension must not matter
        Files.copy(REFERENCE, renamed);
        try (StateDict d = Checkpoints.open(renamed)) {
            assertInstanceOf(SafeTensors.class, d);
        }
    }

    @Test
    void truncatedZipNamesFileAndTensor() throws IOException {
        assertCutShortNamesFileAndTensor(ZIP, "cut_zip.pth.tar", length -> length * 2 / 3);
    }

    @Test
    void truncatedLegacyNamesFileAndTensor() throws IOException {
        assertCutShortNamesFileAndTensor(LEGACY, "cut_legacy.pth.tar", length -> length - 100);
    }

    /** {@code original} cut to {@code keep(length)} bytes fails to open, naming the cut file and a tensor. */
    private void assertCutShortNamesFileAndTensor(Path original, String cutName, IntUnaryOperator keep)
            throws IOException {
        byte[] all = Files.readAllBytes(original);
        Path cut = tmp.resolve(cutName);
        Files.write(cut, Arrays.copyOf(all, keep.applyAsInt(all.length)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*tensor '(params_ema|mapping)\\.[^']+'.*"), e.getMessage());
    }

    @Test
    void corruptPickleAndForeignFilesAreRejectedNamingTheFile() throws IOException {
        byte[] all = Files.readAllBytes(LEGACY);
        for (int i = 40; i < 200; i++) all[i] = (byte) 0xff; // inside the pickle
        Path bad = tmp.resolve("garbled.pth");
        Files.write(bad, all);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoints.open(bad));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());

        Path text = tmp.resolve("notes.pth");
        Files.writeString(text, "this is not a checkpoint at all");
        e = assertThrows(CheckpointException.class, () -> Checkpoints.open(text));
        assertTrue(
                e.getMessage().startsWith(text.toString()) && e.getMessage().contains("not a checkpoint"),
                e.getMessage());

        Path empty = tmp.resolve("empty.pth");
        Files.write(empty, new byte[0]);
        assertThrows(CheckpointException.class, () -> Checkpoints.open(empty));
    }

    @Test
    void validatorNamesMissingExtraAndMisshapenTensors() {
        try (StateDict dict = Checkpoints.open(ZIP)) {
            StateDict mapping = dict.under("mapping.");
            Map<String, long[]> expected = new LinkedHashMap<>();
            expected.put("first.0.weight", new long[] {8, 5, 7});
            expected.put("fc.bias", new long[] {6});
            Checkpoints.validate(mapping, expected, "mapping net", false); // fits exactly

            expected.put("fc.bias", new long[] {7});
            expected.put("fc.weight", new long[] {7, 3});
            expected.remove("first.0.weight");
            Checkpoints.Mismatch m = Checkpoints.compare(mapping, expected, false);
            assertEquals(List.of("fc.weight"), m.missing());
            assertEquals(List.of("first.0.weight"), m.extra());
            assertTrue(
                    Checkpoints.compare(mapping, Map.of("fc.bias", new long[] {6}), true)
                            .isEmpty(),
                    "extras allowed");
            assertFalse(Checkpoints.compare(mapping, Map.of("fc.bias", new long[] {6}), false)
                    .isEmpty());
            assertEquals(1, m.misshapen().size());
            assertTrue(m.misshapen().get(0).startsWith("fc.bias [6]"));
            CheckpointException e = assertThrows(
                    CheckpointException.class, () -> Checkpoints.validate(mapping, expected, "mapping net", false));
            assertTrue(e.getMessage().startsWith(ZIP.toString()), e.getMessage());
            assertTrue(
                    e.getMessage().contains("fc.weight")
                            && e.getMessage().contains("fc.bias [6]")
                            && e.getMessage().contains("first.0.weight"),
                    e.getMessage());
        }
    }
}
