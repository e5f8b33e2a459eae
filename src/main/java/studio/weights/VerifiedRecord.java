package studio.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Size and SHA-256 of each checkpoint at its first verified download, kept in the checkpoint
 * folder ({@value #FILE}). The publishers give no digests, so this is how a file that changed
 * afterwards (corrupted, or swapped by a later download) is noticed.
 */
final class VerifiedRecord {
    static final String FILE = "checkpoints-verified.json";

    record Seen(long size, String sha256) {}

    private VerifiedRecord() {}

    /**
     * What the folder's record holds. A missing, oversized or malformed record counts as empty: the
     * record only adds checks, and whoever could spoil it could change the checkpoints as well.
     */
    static Map<String, Seen> read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > (1 << 20)) return Map.of();
            Map<String, Seen> out = new HashMap<>();
            for (Map.Entry<String, JsonElement> e : JsonParser.parseString(Files.readString(f))
                    .getAsJsonObject()
                    .entrySet()) {
                JsonObject o = e.getValue().getAsJsonObject();
                out.put(
                        e.getKey(),
                        new Seen(o.get("size").getAsLong(), o.get("sha256").getAsString()));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static void put(Path dir, String file, Seen seen) throws IOException {
        Map<String, Seen> all = new TreeMap<>(read(dir));
        all.put(file, seen);
        JsonObject root = new JsonObject();
        all.forEach((name, s) -> {
            JsonObject o = new JsonObject();
            o.addProperty("size", s.size());
            o.addProperty("sha256", s.sha256());
            root.add(name, o);
        });
        OwnFiles.writeAtomically(dir.resolve(FILE), (root + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
