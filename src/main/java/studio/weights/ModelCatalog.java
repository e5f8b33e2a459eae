package studio.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
     * @param role   the stable id code looks the entry up by ({@link Checkpoint}), or null
     */
    public record Entry(
            String file,
            String url,
            Long size,
            String approxSize,
            String sha256,
            boolean required,
            List<String> expect,
            String enables,
            String role) {
        /** An entry without a role (user catalogs, tests). */
        public Entry(
                String file,
                String url,
                Long size,
                String approxSize,
                String sha256,
                boolean required,
                List<String> expect,
                String enables) {
            this(file, url, size, approxSize, sha256, required, expect, enables, null);
        }
    }

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

    /**
     * The catalog used unless the user names one: the app's own. A {@code catalog.json} lying in the
     * checkpoint folder is never read by itself, since whoever can write there would choose the file
     * names and addresses the downloader writes and fetches.
     */
    public static Path bundled() {
        return bundledDir().resolve("catalog.json");
    }

    private static volatile ModelCatalog bundledCatalog;

    /**
     * The app's own catalog, read once (it is small) and read again only when the install folder
     * changes. The one home of the checkpoint file names and addresses code relies on: see
     * {@link Checkpoint}. Missing or malformed, it is a one-line {@link InputException}.
     */
    public static ModelCatalog bundledCatalog() {
        Path json = bundled();
        ModelCatalog c = bundledCatalog;
        if (c == null || !c.source().equals(json)) bundledCatalog = c = read(json);
        return c;
    }

    /** The catalog the user named, else the bundled one. */
    public static ModelCatalog trusted(Path named) {
        return read(named != null ? named : bundled());
    }

    /** Largest checkpoint the catalog may declare, and the most fetched when it gives no size (8 GiB). */
    public static final long MAX_SIZE = 8L << 30;

    public static ModelCatalog read(Path json) {
        if (!Files.isRegularFile(json)) throw new InputException(json, "model catalog not found");
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        } catch (IOException e) {
            throw new InputException(json, "cannot read the model catalog (" + printable(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            throw new InputException(json, "malformed model catalog (" + printable(e.getMessage()) + ")");
        }
        JsonArray models =
                root.has("models") && root.get("models").isJsonArray() ? root.getAsJsonArray("models") : null;
        if (models == null) throw new InputException(json, "malformed model catalog (no \"models\" list)");
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>(), roles = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            String where = "entry " + (i + 1);
            try {
                JsonObject m = models.get(i).getAsJsonObject();
                String file = m.get("file").getAsString();
                where += " ('" + printable(file) + "')";
                String problem = fileNameProblem(file);
                if (problem == null && !seen.add(file)) problem = "listed twice";
                String url = m.get("url").getAsString();
                if (problem == null) problem = urlProblem(url);
                Long size = nullable(m, "size") == null ? null : m.get("size").getAsLong();
                if (problem == null && size != null && (size <= 0 || size > MAX_SIZE))
                    problem = "size " + size + " is not between 1 and " + MAX_SIZE + " bytes (8 GiB)";
                String sha = nullable(m, "sha256") == null
                        ? null
                        : m.get("sha256").getAsString().toLowerCase(Locale.ROOT);
                if (problem == null && sha != null && !sha.matches("[0-9a-f]{64}"))
                    problem = "sha256 is not 64 hex digits";
                String role = nullable(m, "role") == null ? null : m.get("role").getAsString();
                if (problem == null && role != null && !role.matches("[a-z0-9][a-z0-9-]{0,39}"))
                    problem = "role '" + printable(role) + "' is not a lower-case id (letters, digits, '-')";
                if (problem == null && role != null && !roles.add(role))
                    problem = "role '" + role + "' is listed twice";
                if (problem != null) throw new InputException(json, where + ": " + problem);
                List<String> expect = new ArrayList<>();
                JsonArray ex = m.has("expect") ? m.getAsJsonArray("expect") : new JsonArray();
                for (JsonElement e : ex) expect.add(e.getAsString());
                out.add(new Entry(
                        file,
                        url,
                        size,
                        nullable(m, "approx_size") == null
                                ? null
                                : m.get("approx_size").getAsString(),
                        sha,
                        m.has("required") && m.get("required").getAsBoolean(),
                        List.copyOf(expect),
                        nullable(m, "enables") == null ? "" : m.get("enables").getAsString(),
                        role));
            } catch (StudioException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InputException(
                        json, "malformed model catalog, " + where + " (" + printable(e.getMessage()) + ")");
            }
        }
        return new ModelCatalog(json, List.copyOf(out));
    }

    /**
     * Null when {@code name} is a plain file name that stays in the checkpoint folder on every OS,
     * else why not. Names of the downloader's own files ({@code .part}, {@code .tmp}, the record)
     * are refused too, so one entry cannot overwrite another's partial file or the record.
     */
    public static String fileNameProblem(String name) {
        if (name == null || name.isEmpty()) return "file name is empty";
        if (name.length() > 200) return "file name is longer than 200 characters";
        if (name.startsWith(".")) return "file name starts with a dot (hidden, or a '..' step out of the folder)";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) return "file name holds a control character";
            if (c == '/' || c == '\\' || c == ':')
                return "file name must be a plain name, without folders or a drive ('" + c + "')";
        }
        if (name.endsWith(".part")
                || name.endsWith(".tmp")
                || name.equals(VerifiedRecord.FILE)
                || name.equals("catalog.json")) return "file name is reserved for the downloader's own files";
        return null;
    }

    /** Null when {@code url} is an absolute http(s) address with a host, else why not. */
    public static String urlProblem(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https"))
                return "url '" + printable(url) + "' is not an http(s) address";
            if (u.getHost() == null || u.getHost().isEmpty()) return "url '" + printable(url) + "' has no host";
            return null;
        } catch (URISyntaxException e) {
            return "url '" + printable(url) + "' is malformed (" + printable(e.getReason()) + ")";
        }
    }

    /** Text from a file or a server, cut short and kept on one line, fit for an error message. */
    public static String printable(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(120).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.codePointCount(0, s.length()) > 120 ? b + "..." : b.toString();
    }

    private static JsonElement nullable(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    public Entry find(String file) {
        for (Entry e : models) if (e.file().equals(file)) return e;
        List<String> names = new ArrayList<>();
        for (Entry e : models) names.add(e.file());
        throw new InputException(
                "unknown model '" + file + "' (the catalog " + source + " lists: " + String.join(", ", names) + ")");
    }

    /** The entry with this role; a catalog without one is a one-line {@link InputException}. */
    public Entry entry(String role) {
        for (Entry e : models) if (role.equals(e.role())) return e;
        throw new InputException(source, "the model catalog has no entry with role '" + printable(role) + "'");
    }

    /**
     * Checks a downloaded file: size and digest when the catalog has them, the same against the
     * folder's record of its first download, then that it opens as a checkpoint holding the expected
     * key prefixes. Returns null when fine, else the problem.
     */
    public static String check(Entry e, Path file) {
        return check(e, file, null);
    }

    /** As {@link #check(Entry, Path)}; {@code digest} is the file's SHA-256 when the caller has it, else null. */
    static String check(Entry e, Path file, String digest) {
        if (!Files.isRegularFile(file)) return "missing";
        // Looked up by the entry's name, so a new download (still a .part) must match the record too.
        VerifiedRecord.Seen seen =
                VerifiedRecord.read(file.toAbsolutePath().getParent()).get(e.file());
        try {
            long size = Files.size(file);
            if (e.size() != null && size != e.size())
                return "size " + size + " bytes, expected " + e.size() + " (incomplete download?)";
            if (seen != null && size != seen.size())
                return "size " + size + " bytes differs from the size " + seen.size()
                        + " recorded at its first download (" + VerifiedRecord.FILE + ")";
            if (e.sha256() != null || seen != null) {
                String d = digest != null ? digest : sha256(file);
                if (e.sha256() != null && !e.sha256().equals(d))
                    return "SHA-256 differs from the catalog (corrupt download?)";
                if (seen != null && !seen.sha256().equals(d))
                    return "SHA-256 differs from the one recorded at its first download (" + VerifiedRecord.FILE + ")";
            }
        } catch (IOException ex) {
            return "cannot read (" + printable(ex.getMessage()) + ")";
        }
        try (StateDict d = Checkpoints.open(file)) {
            for (String prefix : e.expect()) {
                boolean found = false;
                for (String k : d.keys())
                    if (k.startsWith(prefix)) {
                        found = true;
                        break;
                    }
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
