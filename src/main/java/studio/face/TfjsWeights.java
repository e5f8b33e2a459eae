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
import studio.weights.Bounds;
import studio.weights.CheckpointException;
import studio.weights.DType;
import studio.weights.IndexedStateDict;
import studio.weights.TensorInfo;

/**
 * A TensorFlow.js weights manifest ({@code <model>-weights_manifest.json} plus its {@code .bin}
 * shards) as a state dict, keyed by the TensorFlow names ({@code conv0/filters}) with TensorFlow
 * shapes (filters are HWIO). Quantised tensors ({@code quantization: {dtype: uint8|uint16, scale,
 * min}}) are dequantised to {@code q * scale + min}; {@code float16} quantisation is widened.
 * Hand-written because no Java library reads this format.
 */
public final class TfjsWeights extends IndexedStateDict<TfjsWeights.Entry> {
    record Entry(TensorInfo info, ByteBuffer bytes, String storage, double scale, double min) implements Indexed {}

    private TfjsWeights(String source) {
        super(source);
    }

    /** face-api.js manifests are a few KB and their shards a few MB; far more is not a face model. */
    static final long MAX_MANIFEST_BYTES = 16 << 20;

    static final long MAX_SHARD_BYTES = 256 << 20;

    /**
     * Reads {@code dir/<model>-weights_manifest.json} and the shards it names. The manifest is
     * untrusted like any downloaded file: every field is checked for its JSON type and range,
     * shard paths must be plain file names of regular files inside {@code dir} (not
     * {@code ../../etc/hostname}, {@code /dev/zero} or a symlink out of the folder), sizes are
     * computed with exact arithmetic and the tensors must use exactly the bytes the shards hold.
     */
    public static TfjsWeights open(Path dir, String model) {
        Path manifestFile = dir.resolve(model + "-weights_manifest.json");
        String file = manifestFile.toString();
        TfjsWeights w = new TfjsWeights(file);
        JsonElement root;
        try {
            if (Files.exists(manifestFile)
                    && (!Files.isRegularFile(manifestFile) || Files.size(manifestFile) > MAX_MANIFEST_BYTES))
                throw new CheckpointException(
                        file,
                        "not a TensorFlow.js weights manifest (not a regular file of at most " + MAX_MANIFEST_BYTES
                                + " bytes)");
            root = JsonParser.parseString(Files.readString(manifestFile));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "face model missing (expected the face-api weights under " + dir + ")");
        } catch (IOException | RuntimeException e) {
            if (e instanceof CheckpointException c) throw c;
            throw new CheckpointException(
                    file, "not a TensorFlow.js weights manifest (" + Bounds.clip(String.valueOf(e.getMessage())) + ")");
        }
        try {
            w.read(dir, root);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) { // a check missing here: still the manifest's fault, in one line
            throw new CheckpointException(
                    file,
                    "not a TensorFlow.js weights manifest (" + e.getClass().getSimpleName() + ")",
                    e);
        }
        return w;
    }

    private void read(Path dir, JsonElement root) {
        Path realDir;
        try {
            realDir = dir.toRealPath();
        } catch (IOException e) {
            throw new CheckpointException(source, "cannot read the model folder " + dir);
        }
        for (JsonElement g : array(root, "the manifest")) {
            JsonObject group = object(g, "a weight group");
            ByteBuffer data = readShards(dir, realDir, array(group.get("paths"), "'paths'"));
            long offset = 0;
            for (JsonElement e : array(group.get("weights"), "'weights'")) {
                JsonObject spec = object(e, "a weight entry");
                String name = string(spec.get("name"), "a weight name");
                String what = "tensor '" + Bounds.clip(name) + "'";
                if (entries.containsKey(name)) throw bad(what + " appears twice");
                JsonArray shapeJson = array(spec.get("shape"), what + " shape");
                if (shapeJson.size() > Bounds.MAX_RANK)
                    throw bad(what + " has more than " + Bounds.MAX_RANK + " dimensions");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = integer(shapeJson.get(i), what + " shape");
                long count = Bounds.elements(shape, source, name);
                String dtype = string(spec.get("dtype"), what + " dtype");
                if (!dtype.equals("float32") && !dtype.equals("int32") && !dtype.equals("bool"))
                    throw bad(what + " has unsupported dtype '" + Bounds.clip(dtype) + "'");
                String storage = dtype;
                double scale = 1, min = 0;
                if (spec.has("quantization")) {
                    JsonObject q = object(spec.get("quantization"), what + " quantization");
                    storage = string(q.get("dtype"), what + " quantization dtype");
                    if (!storage.equals("uint8") && !storage.equals("uint16") && !storage.equals("float16"))
                        throw bad(what + " has unsupported storage type '" + Bounds.clip(storage) + "'");
                    if (q.has("scale")) scale = number(q.get("scale"), what + " scale");
                    if (q.has("min")) min = number(q.get("min"), what + " min");
                }
                int elementBytes = switch (storage) {
                    case "uint8", "bool" -> 1;
                    case "uint16", "float16" -> 2;
                    default -> 4; // float32, int32
                };
                long bytes = Bounds.times(count, elementBytes, source, name);
                long end = Bounds.plus(offset, bytes, source, name);
                if (end > data.capacity()) throw bad("weight shards end before " + what);
                ByteBuffer slice = data.slice((int) offset, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
                DType type = dtype.equals("int32") ? DType.I32 : DType.F32;
                entries.put(name, new Entry(new TensorInfo(name, type, shape), slice, storage, scale, min));
                offset = end;
            }
            if (offset != data.capacity())
                throw bad("the weight shards hold " + data.capacity() + " bytes but the manifest describes " + offset);
        }
    }

    /** The shards of one group, concatenated; each a regular file directly inside the model folder. */
    private ByteBuffer readShards(Path dir, Path realDir, JsonArray paths) {
        if (paths.isEmpty()) throw bad("a weight group has no 'paths'");
        Path[] files = new Path[paths.size()];
        long total = 0;
        for (int i = 0; i < files.length; i++) {
            String name = string(paths.get(i), "a weight shard path");
            String what = "weight shard '" + Bounds.clip(name) + "'";
            if (name.isEmpty()
                    || name.equals(".")
                    || name.equals("..")
                    || name.indexOf('/') >= 0
                    || name.indexOf('\\') >= 0
                    || name.indexOf('\0') >= 0) throw bad(what + " is not a plain file name in the model folder");
            try {
                Path real = dir.resolve(name).toRealPath(); // follows symlinks: where the bytes really are
                if (!real.startsWith(realDir)) throw bad(what + " leads out of the model folder");
                if (!Files.isRegularFile(real)) throw bad(what + " is not a regular file");
                files[i] = real;
                total = Bounds.plus(total, Files.size(real), source, name);
            } catch (NoSuchFileException e) {
                throw bad(what + " is missing");
            } catch (IOException e) {
                throw bad("cannot read " + what);
            }
            if (total > MAX_SHARD_BYTES)
                throw bad("the weight shards hold more than " + MAX_SHARD_BYTES + " bytes (not a face model)");
        }
        ByteBuffer all = ByteBuffer.allocate((int) total);
        for (Path f : files) {
            try {
                byte[] b = Files.readAllBytes(f);
                if (b.length > all.remaining()) throw bad("weight shard " + f.getFileName() + " grew while being read");
                all.put(b);
            } catch (IOException e) {
                throw bad("cannot read weight shard " + f.getFileName());
            }
        }
        return all.flip();
    }

    // Typed access to manifest fields: a wrong JSON type is a message naming the field, not an NPE or a cast.

    private JsonArray array(JsonElement e, String what) {
        if (e == null || !e.isJsonArray()) throw bad(what + " is not a list");
        return e.getAsJsonArray();
    }

    private JsonObject object(JsonElement e, String what) {
        if (e == null || !e.isJsonObject()) throw bad(what + " is not an object");
        return e.getAsJsonObject();
    }

    private String string(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString())
            throw bad(what + " is not a string");
        return e.getAsString();
    }

    /** A whole number of at most 40 characters (parsing a longer one is slow and it would not fit anyway). */
    private long integer(JsonElement e, String what) {
        if (e == null
                || !e.isJsonPrimitive()
                || !e.getAsJsonPrimitive().isNumber()
                || e.getAsString().length() > 40) throw bad(what + " is not a list of whole numbers");
        try {
            return e.getAsBigDecimal().longValueExact();
        } catch (ArithmeticException | NumberFormatException x) {
            throw bad(what + " is not a list of whole numbers");
        }
    }

    private double number(JsonElement e, String what) {
        if (e == null
                || !e.isJsonPrimitive()
                || !e.getAsJsonPrimitive().isNumber()
                || e.getAsString().length() > 40) throw bad(what + " is not a number");
        double d = e.getAsDouble();
        if (!Double.isFinite(d)) throw bad(what + " is not a finite number");
        return d;
    }

    private CheckpointException bad(String problem) {
        return new CheckpointException(source, "bad TensorFlow.js weights manifest: " + problem);
    }

    @Override
    protected void read(Entry e, float[] out) {
        int n = out.length;
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
