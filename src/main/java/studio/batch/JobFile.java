package studio.batch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import studio.job.InputException;
import studio.job.StudioException;

/**
 * Reads a JOBS file: CSV with a header row, or JSON lines ({@code .jsonl}, {@code .ndjson},
 * {@code .json}, or a file whose first character is <code>{</code>). Keys are {@code id},
 * {@code image}, {@code audio} and any render option by its CLI name, snake_case or kebab-case.
 * Structural problems (no header, unknown column, bad or duplicate id, unparsable line) fail the
 * whole file with one line naming the file and line; a bad option value fails only its job.
 */
public final class JobFile {
    /** Plain file names on every system: no separators, no leading dot, nothing a shell or SMB share mangles. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    static final long MAX_BYTES = 64L << 20;

    private JobFile() {}

    public static List<BatchJob> read(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) throw new InputException(file, "is not a file");
            if (Files.size(file) > MAX_BYTES) throw new InputException(file, "is larger than 64 MiB");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".jsonl")
                || name.endsWith(".ndjson")
                || name.endsWith(".json")
                || text.stripLeading().startsWith("{");
        Path base = file.toAbsolutePath().normalize().getParent();
        List<Raw> raws = json ? jsonLines(file, text) : csv(file, text);
        List<BatchJob> jobs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Raw r : raws) {
            Map<String, String> opts = new LinkedHashMap<>();
            String id = null, image = null, audio = null;
            for (Map.Entry<String, String> e : r.values.entrySet()) {
                String key = JobOptions.canonical(e.getKey());
                String v = e.getValue().strip();
                switch (key) {
                    case "id" -> id = v;
                    case "image" -> image = v;
                    case "audio" -> audio = v;
                    default -> {
                        if (!JobOptions.NAMES.contains(key))
                            throw new StudioException(file + " line " + r.line + ": unknown column '" + e.getKey()
                                    + "' (render options by their CLI names: " + String.join(", ", JobOptions.NAMES)
                                    + ")");
                        if (!v.isEmpty()) opts.put(key, v);
                    }
                }
            }
            if (id == null || id.isEmpty()) throw new StudioException(file + " line " + r.line + ": no id");
            if (!ID.matcher(id).matches())
                throw new StudioException(
                        file + " line " + r.line + ": id '" + oneLine(id)
                                + "' is not a plain file name (letters, digits, '.', '_', '-'; at most 100; not starting with '.', '_' or '-')");
            Integer before = seen.putIfAbsent(id.toLowerCase(Locale.ROOT), r.line);
            if (before != null)
                throw new StudioException(
                        file + " line " + r.line + ": id '" + id + "' is already used on line " + before);
            if (image == null || image.isEmpty())
                throw new StudioException(file + " line " + r.line + ": job " + id + " has no image");
            if (audio == null || audio.isEmpty())
                throw new StudioException(file + " line " + r.line + ": job " + id + " has no audio");
            for (String p : List.of("ref_eyeblink", "ref_pose"))
                if (opts.containsKey(p)) opts.put(p, resolve(base, opts.get(p)));
            jobs.add(new BatchJob(
                    id, file.getFileName().toString(), r.line, resolve(base, image), resolve(base, audio), opts));
        }
        if (jobs.isEmpty()) throw new StudioException(file + ": no jobs");
        return jobs;
    }

    private static String resolve(Path base, String p) {
        try {
            return base.resolve(p).normalize().toString();
        } catch (RuntimeException e) {
            return p; // an invalid path fails its job when the file is opened
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private record Raw(int line, Map<String, String> values) {}

    private static List<Raw> jsonLines(Path file, String text) {
        List<Raw> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("//")) continue;
            JsonElement e;
            try {
                e = JsonParser.parseString(l);
            } catch (JsonParseException ex) {
                throw new StudioException(file + " line " + (i + 1) + ": not valid JSON");
            }
            if (!e.isJsonObject()) throw new StudioException(file + " line " + (i + 1) + ": not a JSON object");
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> kv : ((JsonObject) e).entrySet()) {
                JsonElement v = kv.getValue();
                if (v.isJsonNull()) continue;
                if (v.isJsonArray()) {
                    List<String> parts = new ArrayList<>();
                    for (JsonElement x : (JsonArray) v) parts.add(x.getAsString());
                    values.put(kv.getKey(), String.join(" ", parts));
                } else if (v.isJsonPrimitive()) values.put(kv.getKey(), v.getAsString());
                else throw new StudioException(file + " line " + (i + 1) + ": '" + kv.getKey() + "' is an object");
            }
            out.add(new Raw(i + 1, values));
        }
        return out;
    }

    /** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; blank lines are skipped. */
    private static List<Raw> csv(Path file, String text) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        List<String> rec = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false, any = false;
        int line = 1, start = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else quoted = false;
                } else {
                    if (c == '\n') line++;
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                rec.add(cell.toString());
                cell.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                if (any || cell.length() > 0) {
                    rec.add(cell.toString());
                    records.add(rec);
                    starts.add(start);
                }
                rec = new ArrayList<>();
                cell.setLength(0);
                any = false;
                line++;
                start = line;
            } else {
                cell.append(c);
                if (!Character.isWhitespace(c)) any = true;
            }
        }
        if (quoted) throw new StudioException(file + " line " + start + ": a quoted field is not closed");
        if (any || cell.length() > 0) {
            rec.add(cell.toString());
            records.add(rec);
            starts.add(start);
        }
        if (records.isEmpty()) throw new StudioException(file + ": empty (expected a header row: id,image,audio,...)");
        List<String> header = records.get(0).stream().map(String::strip).toList();
        for (String h : List.of("id", "image", "audio"))
            if (header.stream().map(JobOptions::canonical).noneMatch(h::equals))
                throw new StudioException(file + " line " + starts.get(0) + ": the header has no '" + h
                        + "' column (expected id,image,audio,...)");
        List<Raw> out = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            if (cells.size() > header.size())
                throw new StudioException(file + " line " + starts.get(r) + ": " + cells.size()
                        + " fields, the header has " + header.size());
            Map<String, String> values = new LinkedHashMap<>();
            for (int k = 0; k < cells.size(); k++) values.put(header.get(k), cells.get(k));
            out.add(new Raw(starts.get(r), values));
        }
        return out;
    }
}
