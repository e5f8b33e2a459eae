package studio.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key → shape lists of a {@code schema.json} (the golden sets' description of every tensor of
 * a network, grouped by network), used to make procedural weights and to check loaders.
 */
public final class WeightSchema {
    private WeightSchema() {}

    /** Keys and shapes of the named groups, in file order; every group when none is named. */
    public static Map<String, long[]> read(Path schemaJson, String... groups) {
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(schemaJson)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(
                    schemaJson.toString(), "unreadable weight schema (" + e.getMessage() + ")", e);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        if (groups.length == 0) {
            for (Map.Entry<String, JsonElement> g : root.entrySet())
                out.putAll(shapes(g.getValue().getAsJsonObject()));
        }
        for (String name : groups) {
            JsonObject g = root.getAsJsonObject(name);
            if (g == null)
                throw new CheckpointException(schemaJson.toString(), "no group '" + name + "' in the weight schema");
            out.putAll(shapes(g));
        }
        return out;
    }

    /** One group's {"key": [dims...]} object as key → shape. */
    public static Map<String, long[]> shapes(JsonObject group) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : group.entrySet()) {
            var a = e.getValue().getAsJsonArray();
            long[] s = new long[a.size()];
            for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsLong();
            out.put(e.getKey(), s);
        }
        return out;
    }
}
