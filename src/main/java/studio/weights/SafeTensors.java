package studio.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * and the raw tensors. Tensors are converted to float32 only when asked for, so a multi-GB
 * checkpoint is never held twice.
 */
public final class SafeTensors implements StateDict {
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Entry(TensorInfo info, long begin, long end) {}

    private final String source;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SafeTensors(Path file) {
        this.source = file.toString();
        if (!Files.isRegularFile(file)) throw new CheckpointException(source, "file not found");
        this.arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(source, "not a safetensors file (too short: " + size + " bytes)");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = all.get(LONG_LE, 0);
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000)
                throw new CheckpointException(source, "not a safetensors file (bad header length " + headerLen + ")");
            byte[] header = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonObject json;
            try {
                json = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new CheckpointException(source, "not a safetensors file (unreadable header)");
            }
            this.data = all.asSlice(8 + headerLen);
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    for (Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet())
                        metadata.put(m.getKey(), m.getValue().getAsString());
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                DType dtype = DType.parse(t.get("dtype").getAsString(), source);
                var shapeJson = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = shapeJson.get(i).getAsLong();
                var off = t.getAsJsonArray("data_offsets");
                long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
                TensorInfo info = new TensorInfo(e.getKey(), dtype, shape);
                if (end > data.byteSize() || end - begin != info.elements() * dtype.bytes)
                    throw new CheckpointException(source, "tensor '" + e.getKey() + "' is truncated or misshapen (file cut short?)");
                entries.put(e.getKey(), new Entry(info, begin, end));
            }
        } catch (IOException e) {
            arena.close();
            throw new CheckpointException(source, "cannot read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public static SafeTensors open(Path file) {
        return new SafeTensors(file);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override public String source() { return source; }

    @Override public Set<String> keys() { return Collections.unmodifiableSet(entries.keySet()); }

    @Override
    public TensorInfo info(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.info;
    }

    @Override
    public float[] floats(String key) {
        Entry e = entries.get(key);
        if (e == null) throw new CheckpointException(source, "missing tensor '" + key + "'");
        long n = e.info.elements();
        if (n > Integer.MAX_VALUE) throw new CheckpointException(source, "tensor '" + key + "' too large");
        MemorySegment s = data.asSlice(e.begin, e.end - e.begin);
        float[] out = new float[(int) n];
        e.info.dtype().readInto(s, 0, out);
        return out;
    }

    /** Integer tensors (e.g. timesteps, pose style) without a round trip through float. */
    public long[] longs(String key) {
        Entry e = entries.get(key);
        if (e == null) throw new CheckpointException(source, "missing tensor '" + key + "'");
        if (e.info.dtype() != DType.I64) {
            float[] f = floats(key);
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) out[i] = (long) f[i];
            return out;
        }
        long[] out = new long[(int) e.info.elements()];
        MemorySegment.copy(data.asSlice(e.begin, e.end - e.begin), LONG_LE, 0, out, 0, out.length);
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
