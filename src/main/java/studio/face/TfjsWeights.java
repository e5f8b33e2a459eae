package studio.face;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import studio.weights.CheckpointException;
import studio.weights.DType;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * A TensorFlow.js weights manifest ({@code <model>-weights_manifest.json} plus its {@code .bin}
 * shards) as a state dict, keyed by the TensorFlow names ({@code conv0/filters}) with TensorFlow
 * shapes (filters are HWIO). Quantised tensors ({@code quantization: {dtype: uint8|uint16, scale,
 * min}}) are dequantised to {@code q * scale + min}; {@code float16} quantisation is widened.
 * Hand-written because no Java library reads this format.
 */
public final class TfjsWeights implements StateDict {
    private record Entry(TensorInfo info, ByteBuffer bytes, String storage, double scale, double min) {}

    private final String source;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private TfjsWeights(String source) {
        this.source = source;
    }

    /** Reads {@code dir/<model>-weights_manifest.json} and the shards it names. */
    public static TfjsWeights open(Path dir, String model) {
        Path manifestFile = dir.resolve(model + "-weights_manifest.json");
        TfjsWeights w = new TfjsWeights(manifestFile.toString());
        JsonArray groups;
        try {
            groups = JsonParser.parseString(Files.readString(manifestFile)).getAsJsonArray();
        } catch (NoSuchFileException e) {
            throw new CheckpointException(manifestFile.toString(), "face model missing (expected the face-api weights under "
                    + dir + ")");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(manifestFile.toString(), "not a TensorFlow.js weights manifest: " + e.getMessage());
        }
        for (JsonElement g : groups) {
            JsonObject group = g.getAsJsonObject();
            ByteBuffer data = readShards(dir, group.getAsJsonArray("paths"), manifestFile);
            int offset = 0;
            for (JsonElement e : group.getAsJsonArray("weights")) {
                JsonObject spec = e.getAsJsonObject();
                String name = spec.get("name").getAsString();
                JsonArray shapeJson = spec.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    count *= shape[i];
                }
                String dtype = spec.get("dtype").getAsString();
                String storage = dtype;
                double scale = 1, min = 0;
                if (spec.has("quantization")) {
                    JsonObject q = spec.getAsJsonObject("quantization");
                    storage = q.get("dtype").getAsString();
                    if (q.has("scale")) scale = q.get("scale").getAsDouble();
                    if (q.has("min")) min = q.get("min").getAsDouble();
                }
                int bytes = (int) count * switch (storage) {
                    case "uint8", "bool" -> 1;
                    case "uint16", "float16" -> 2;
                    case "float32", "int32" -> 4;
                    default -> throw new CheckpointException(manifestFile.toString(),
                            "tensor '" + name + "' has unsupported storage type " + storage);
                };
                if (offset + bytes > data.capacity())
                    throw new CheckpointException(manifestFile.toString(), "weight shards end before tensor '" + name + "'");
                ByteBuffer slice = data.slice(offset, bytes).order(ByteOrder.LITTLE_ENDIAN);
                DType type = dtype.equals("int32") ? DType.I32 : DType.F32;
                w.entries.put(name, new Entry(new TensorInfo(name, type, shape), slice, storage, scale, min));
                offset += bytes;
            }
        }
        return w;
    }

    private static ByteBuffer readShards(Path dir, JsonArray paths, Path manifest) {
        try {
            byte[][] parts = new byte[paths.size()][];
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                parts[i] = Files.readAllBytes(dir.resolve(paths.get(i).getAsString()));
                total += parts[i].length;
            }
            ByteBuffer all = ByteBuffer.allocate(total);
            for (byte[] p : parts) all.put(p);
            return all.flip();
        } catch (IOException e) {
            throw new CheckpointException(manifest.toString(), "cannot read weight shard: " + e.getMessage());
        }
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> keys() {
        return entries.keySet();
    }

    @Override
    public TensorInfo info(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.info;
    }

    @Override
    public float[] floats(String key) {
        Entry e = entries.get(key);
        if (e == null) throw new CheckpointException(source, "missing tensor '" + key + "'");
        int n = (int) e.info.elements();
        float[] out = new float[n];
        ByteBuffer b = e.bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (e.storage) {
            // Affine quantisation is TensorFlow.js's own; plain element types are read as in every checkpoint.
            case "uint8", "bool" -> {
                for (int i = 0; i < n; i++) out[i] = (float) ((b.get(i) & 0xff) * e.scale + e.min);
            }
            case "uint16" -> {
                for (int i = 0; i < n; i++) out[i] = (float) ((b.getShort(2 * i) & 0xffff) * e.scale + e.min);
            }
            default -> storedType(e.storage).readInto(MemorySegment.ofBuffer(b), 0, out);
        }
        return out;
    }

    /** The element type of an unquantised TensorFlow.js storage type (validated when the manifest was read). */
    private static DType storedType(String storage) {
        return switch (storage) {
            case "float16" -> DType.F16;
            case "int32" -> DType.I32;
            default -> DType.F32;
        };
    }
}
