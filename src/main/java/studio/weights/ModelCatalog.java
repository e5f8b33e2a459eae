package studio.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import studio.job.InputException;
import studio.job.StudioException;

/**
 * The checkpoints the app can use ({@code checkpoints/catalog.json}): file name, official
 * download address, size and digest when known, the key prefixes the file must hold, and what it
 * enables. Files live in one folder: {@code --dir}, else {@code $STUDIO_CHECKPOINTS}, else
 * {@code ./checkpoints}.
 */
public record ModelCatalog(Path source, List<Entry> models) {
    /**
     * @param size   exact size in bytes, or null when unknown
     * @param sha256 lower-case hex digest, or null when the publisher gives none
     * @param expect key prefixes that must each match at least one tensor ("" = any tensor)
     */
    public record Entry(String file, String url, Long size, String approxSize, String sha256, boolean required,
                        List<String> expect, String enables) {}

    public static Path defaultDir() {
        String env = System.getenv("STUDIO_CHECKPOINTS");
        return env != null && !env.isBlank() ? Path.of(env) : bundledDir();
    }

    /** The install folder given by the launcher's {@code -Dstudio.home}, else the working directory. */
    public static Path installDir() {
        return Path.of(System.getProperty("studio.home", "."));
    }

    /** The app's own {@code checkpoints/} folder (bundled face-api models, the catalog) in the install folder. */
    public static Path bundledDir() {
        return installDir().resolve("checkpoints");
    }

    /** {@code dir} when it holds the bundled face-api models, else the app's own checkpoints folder. */
    public static Path faceModels(Path dir) {
        return dir != null && Files.isDirectory(dir.resolve("face-api")) ? dir : bundledDir();
    }

    /** {@code dir/catalog.json} when the folder has its own catalog, else the app's bundled one. */
    public static Path locate(Path dir) {
        Path inDir = dir.resolve("catalog.json");
        return Files.isRegularFile(inDir) ? inDir : bundledDir().resolve("catalog.json");
    }

    public static ModelCatalog read(Path json) {
        if (!Files.isRegularFile(json)) throw new InputException(json, "model catalog not found");
        try {
            JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
            List<Entry> out = new ArrayList<>();
            for (JsonElement el : root.getAsJsonArray("models")) {
                JsonObject m = el.getAsJsonObject();
                List<String> expect = new ArrayList<>();
                JsonArray ex = m.has("expect") ? m.getAsJsonArray("expect") : new JsonArray();
                for (JsonElement e : ex) expect.add(e.getAsString());
                out.add(new Entry(m.get("file").getAsString(), m.get("url").getAsString(),
                        nullable(m, "size") == null ? null : m.get("size").getAsLong(),
                        nullable(m, "approx_size") == null ? null : m.get("approx_size").getAsString(),
                        nullable(m, "sha256") == null ? null : m.get("sha256").getAsString().toLowerCase(),
                        m.has("required") && m.get("required").getAsBoolean(), List.copyOf(expect),
                        nullable(m, "enables") == null ? "" : m.get("enables").getAsString()));
            }
            return new ModelCatalog(json, List.copyOf(out));
        } catch (IOException e) {
            throw new InputException(json, "cannot read the model catalog (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new InputException(json, "malformed model catalog (" + e.getMessage() + ")");
        }
    }

    private static JsonElement nullable(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public Entry find(String file) {
        for (Entry e : models) if (e.file().equals(file)) return e;
        List<String> names = new ArrayList<>();
        for (Entry e : models) names.add(e.file());
        throw new InputException("unknown model '" + file + "' (the catalog " + source + " lists: " + String.join(", ", names) + ")");
    }

    /**
     * Checks a downloaded file: size and digest when the catalog has them, then that it opens as
     * a checkpoint holding the expected key prefixes. Returns null when fine, else the problem.
     */
    public static String check(Entry e, Path file) {
        if (!Files.isRegularFile(file)) return "missing";
        try {
            long size = Files.size(file);
            if (e.size() != null && size != e.size()) return "size " + size + " bytes, expected " + e.size() + " (incomplete download?)";
            if (e.sha256() != null && !e.sha256().equals(sha256(file))) return "SHA-256 differs from the catalog (corrupt download?)";
        } catch (IOException ex) {
            return "cannot read (" + ex.getMessage() + ")";
        }
        try (StateDict d = Checkpoints.open(file)) {
            for (String prefix : e.expect()) {
                boolean found = false;
                for (String k : d.keys()) if (k.startsWith(prefix)) { found = true; break; }
                if (!found) return prefix.isEmpty() ? "holds no tensors" : "holds no tensors under '" + prefix + "'";
            }
        } catch (StudioException ex) {
            return ex.getMessage();
        }
        return null;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
