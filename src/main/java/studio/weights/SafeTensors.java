package studio.weights;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * and the raw tensors. Tensors are converted to float32 only when asked for, so a multi-GB
 * checkpoint is never held twice.
 */
public final class SafeTensors extends IndexedStateDict<SafeTensors.Entry> {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Entry(TensorInfo info, long begin, long end) implements Indexed {}

    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private SafeTensors(Path file) {
        super(file.toString());
        if (!Files.isRegularFile(file)) throw new CheckpointException(source, "file not found");
        this.arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8)
                throw new CheckpointException(source, "not a safetensors file (too short: " + size + " bytes)");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = all.get(LONG_LE, 0);
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000)
                throw new CheckpointException(source, "not a safetensors file (bad header length " + headerLen + ")");
            byte[] header = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            this.data = all.asSlice(8 + headerLen);
            readHeader(new String(header, StandardCharsets.UTF_8));
            checkRanges();
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw openFailure(source, arena, e, "not a safetensors file");
        }
    }

    /**
     * The JSON header, read with a streaming reader rather than a tree: a tree silently keeps the
     * last of two entries with one name, and every field must be checked for its JSON type anyway
     * (Gson converts a string "5" to a number when asked). Messages quote at most a few dozen
     * characters of a name, so a 100 MB string in the header cannot become the message.
     */
    private void readHeader(String header) {
        try (JsonReader r = new JsonReader(new StringReader(header))) {
            r.setStrictness(Strictness.STRICT);
            expect(r, JsonToken.BEGIN_OBJECT, "the header", "an object");
            r.beginObject();
            Set<String> names = new HashSet<>();
            boolean sawMetadata = false;
            while (r.hasNext()) {
                String name = r.nextName();
                if (name.equals("__metadata__")) {
                    if (sawMetadata) throw bad("__metadata__ appears twice");
                    sawMetadata = true;
                    readMetadata(r);
                    continue;
                }
                if (!names.add(name)) throw bad("tensor '" + Bounds.clip(name) + "' appears twice");
                entries.put(name, readEntry(r, name));
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) throw bad("text after the header");
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Malformed JSON (MalformedJsonException is an IOException), or a number where none fits.
            throw new CheckpointException(source, "not a safetensors file (unreadable header)");
        }
    }

    private void readMetadata(JsonReader r) throws IOException {
        expect(r, JsonToken.BEGIN_OBJECT, "__metadata__", "an object");
        r.beginObject();
        while (r.hasNext()) {
            String k = r.nextName();
            expect(r, JsonToken.STRING, "metadata '" + Bounds.clip(k) + "'", "a string");
            if (metadata.put(k, r.nextString()) != null) throw bad("metadata '" + Bounds.clip(k) + "' appears twice");
        }
        r.endObject();
    }

    private Entry readEntry(JsonReader r, String name) throws IOException {
        String what = "tensor '" + Bounds.clip(name) + "'";
        expect(r, JsonToken.BEGIN_OBJECT, what, "an object");
        r.beginObject();
        String dtype = null;
        long[] shape = null, offsets = null;
        Set<String> fields = new HashSet<>();
        while (r.hasNext()) {
            String field = r.nextName();
            if (!fields.add(field)) throw bad(what + " has two '" + Bounds.clip(field) + "' fields");
            switch (field) {
                case "dtype" -> {
                    expect(r, JsonToken.STRING, what + " dtype", "a string");
                    dtype = r.nextString();
                }
                case "shape" -> shape = readLongs(r, what + " shape", Bounds.MAX_RANK);
                case "data_offsets" -> offsets = readLongs(r, what + " data_offsets", 2);
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (dtype == null) throw bad(what + " has no dtype");
        if (shape == null) throw bad(what + " has no shape");
        if (offsets == null || offsets.length != 2) throw bad(what + " needs data_offsets [begin, end]");
        TensorInfo info = new TensorInfo(name, DType.parse(Bounds.clip(dtype), source), shape);
        long bytes = Bounds.times(Bounds.elements(shape, source, name), info.dtype().bytes, source, name);
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin) throw bad(what + " has data_offsets [" + begin + ", " + end + "]");
        if (end > data.byteSize()) throw bad(what + " is truncated (file cut short?)");
        if (end - begin != bytes)
            throw bad(
                    what + " is misshapen: " + (end - begin) + " bytes for " + info.shapeString() + " " + info.dtype());
        return new Entry(info, begin, end);
    }

    /** An array of at most {@code max} integers (a shape or the two offsets); sizes are checked by the caller. */
    private long[] readLongs(JsonReader r, String what, int max) throws IOException {
        expect(r, JsonToken.BEGIN_ARRAY, what, "an array");
        r.beginArray();
        long[] out = new long[max];
        int n = 0;
        while (r.hasNext()) {
            if (n == max) throw bad(what + " has more than " + max + " entries");
            expect(r, JsonToken.NUMBER, what, "integers");
            out[n++] = r.nextLong(); // a fraction or an out-of-range number: NumberFormatException
        }
        r.endArray();
        return Arrays.copyOf(out, n);
    }

    private void expect(JsonReader r, JsonToken token, String what, String kind) throws IOException {
        if (r.peek() != token) throw bad(what + " is not " + kind);
    }

    /**
     * Tensors must not share or overlap bytes: a crafted file could otherwise alias one tensor's
     * data under another name.
     */
    private void checkRanges() {
        List<Entry> byBegin = new ArrayList<>(entries.values());
        byBegin.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byBegin.size(); i++) {
            Entry a = byBegin.get(i - 1), b = byBegin.get(i);
            if (b.begin < a.end)
                throw bad("tensors '" + Bounds.clip(a.info.name()) + "' and '" + Bounds.clip(b.info.name())
                        + "' overlap");
        }
    }

    private CheckpointException bad(String problem) {
        return new CheckpointException(source, "corrupt safetensors header: " + problem);
    }

    public static SafeTensors open(Path file) {
        return new SafeTensors(file);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override
    protected void read(Entry e, float[] out) {
        e.info().dtype().readInto(data.asSlice(e.begin(), e.end() - e.begin()), 0, out);
    }

    /** Integer tensors (e.g. timesteps, pose style) without a round trip through float. */
    public long[] longs(String key) {
        Entry e = entry(key);
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
