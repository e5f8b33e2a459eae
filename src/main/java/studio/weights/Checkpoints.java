package studio.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Opening a checkpoint of either format, and checking it against an architecture's key → shape map. */
public final class Checkpoints {
    private Checkpoints() {}

    /** Opens a {@code .safetensors} or PyTorch ({@code .pth}, {@code .pth.tar}) file, chosen by its content. */
    public static StateDict open(Path file) {
        if (!Files.isRegularFile(file)) throw new CheckpointException(file.toString(), "file not found");
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new CheckpointException(file.toString(), "cannot read (" + e.getMessage() + ")", e);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            return TorchCheckpoint.open(file);
        if (n >= 1 && (head[0] & 0xff) == 0x80) return TorchCheckpoint.open(file);
        if (n >= 9 && head[8] == '{') return SafeTensors.open(file);
        throw new CheckpointException(file.toString(), "not a checkpoint (neither safetensors nor a PyTorch file)");
    }

    /** How a state dict differs from what an architecture expects. */
    public record Mismatch(List<String> missing, List<String> extra, List<String> misshapen) {
        public boolean isEmpty() {
            return missing.isEmpty() && extra.isEmpty() && misshapen.isEmpty();
        }

        /** One line per kind of problem, naming the tensors (the first ten of each kind). */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing tensors " + names(missing));
            if (!misshapen.isEmpty()) parts.add("misshapen tensors " + names(misshapen));
            if (!extra.isEmpty()) parts.add("unexpected tensors " + names(extra));
            return String.join("; ", parts);
        }

        private static String names(List<String> l) {
            List<String> shown = l.subList(0, Math.min(10, l.size()));
            return String.join(", ", shown)
                    + (l.size() > shown.size() ? " (and " + (l.size() - shown.size()) + " more)" : "");
        }
    }

    /**
     * Compares the keys of {@code dict} with {@code expected}. With {@code allowExtra}, keys the
     * architecture does not use (optimizer state, other networks) are not an error.
     */
    public static Mismatch compare(StateDict dict, Map<String, long[]> expected, boolean allowExtra) {
        List<String> missing = new ArrayList<>(), extra = new ArrayList<>(), misshapen = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorInfo info = dict.info(e.getKey());
            if (info == null) missing.add(e.getKey());
            else if (!Arrays.equals(info.shape(), e.getValue()))
                misshapen.add(
                        e.getKey() + " " + info.shapeString() + " (expected " + Arrays.toString(e.getValue()) + ")");
        }
        if (!allowExtra) for (String k : dict.keys()) if (!expected.containsKey(k)) extra.add(k);
        return new Mismatch(missing, extra, misshapen);
    }

    /** Fails with a {@link CheckpointException} naming the file, the network and every offending tensor. */
    public static void validate(StateDict dict, Map<String, long[]> expected, String network, boolean allowExtra) {
        Mismatch m = compare(dict, expected, allowExtra);
        if (!m.isEmpty()) throw new CheckpointException(dict.source(), "does not fit " + network + ": " + m.describe());
    }
}
