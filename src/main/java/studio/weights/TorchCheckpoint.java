package studio.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import studio.weights.PickleReader.StorageRef;
import studio.weights.PickleReader.TensorRef;

/**
 * A PyTorch checkpoint ({@code .pth}, {@code .pth.tar}) written by {@code torch.save}: either the
 * zip archive (since PyTorch 1.6: {@code <name>/data.pkl} plus one stored entry per storage,
 * {@code <name>/data/<key>}) or the legacy stream (magic, version, system info, the pickle, the
 * storage keys, then each storage as an int64 element count and its raw bytes).
 *
 * <p>The file is memory-mapped and only the pickle is parsed at open time; tensors are converted
 * to float32 when asked for, honouring the storage offset and strides, so a multi-GB checkpoint is
 * never held twice. Nested dictionaries are flattened with dots: the tensor {@code fc.weight}
 * inside {@code params_ema} is the key {@code params_ema.fc.weight} (use {@link #under(String)}).
 * Every tensor is checked against its storage at open time, so a truncated file fails naming the
 * tensor.
 *
 * <p>Files are untrusted: {@link PickleReader} bounds the unpickling, the walk over its result
 * is iterative, visits each dict or list once (a shared or cyclic one cannot multiply the work)
 * and stops at {@link #MAX_DEPTH}; sizes, strides and offsets are checked with exact arithmetic.
 * Whatever still goes wrong becomes one {@link CheckpointException} naming the file, with the
 * memory map closed.
 */
public final class TorchCheckpoint extends IndexedStateDict<TorchCheckpoint.Tensor> {
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    /** Nesting of dicts and lists; a state dict is two or three deep, a config a few more. */
    static final int MAX_DEPTH = 1000;
    /** Tensors and the total length of their names: far above any network, far below GBs of keys. */
    static final int MAX_TENSORS = 1_000_000;

    static final long MAX_NAME_CHARS = 32_000_000;
    static final int MAX_NAME = 1024;
    /** Storage keys torch writes are small numbers. */
    private static final int MAX_STORAGE_KEY = 60;

    record Tensor(TensorInfo info, MemorySegment storage, long offset, long[] stride) implements Indexed {}

    private final Arena arena;
    private final MemorySegment file;
    private final boolean zip;
    private Object root;

    private TorchCheckpoint(Path path) {
        super(path.toString());
        if (!Files.isRegularFile(path)) throw new CheckpointException(source, "file not found");
        this.arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(source, "not a PyTorch checkpoint (only " + size + " bytes)");
            this.file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int first = file.get(INT_LE, 0);
            if (first == 0x04034b50) {
                zip = true;
                readZip();
            } else if ((first & 0xff) == 0x80) {
                zip = false;
                readLegacy();
            } else
                throw new CheckpointException(source, "not a PyTorch checkpoint (neither a zip archive nor a pickle)");
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw openFailure(source, arena, e, "corrupt PyTorch checkpoint");
        }
    }

    public static TorchCheckpoint open(Path file) {
        return new TorchCheckpoint(file);
    }

    /** True for the zip archive format, false for the legacy stream. */
    public boolean isZip() {
        return zip;
    }

    /** The names at the top level of the saved object (e.g. {@code params_ema}, {@code mapping}, {@code epoch}). */
    public Set<String> topLevelNames() {
        if (!(root instanceof Map<?, ?> m)) return Set.of();
        Set<String> out = new LinkedHashSet<>();
        for (Object k : m.keySet()) out.add(String.valueOf(k));
        return out;
    }

    // ---------------------------------------------------------------- zip format

    private record ZipItem(long dataOffset, long size, int method) {}

    private void readZip() {
        Map<String, ZipItem> items = centralDirectory();
        if (items == null) items = scanLocalHeaders(); // central directory lost: the file was cut short
        String pkl = null;
        for (String name : items.keySet()) {
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                pkl = name;
                break;
            }
        }
        if (pkl == null) {
            if (items.containsKey("data.pkl")) pkl = "data.pkl";
            else throw new CheckpointException(source, "not a PyTorch checkpoint (zip archive without data.pkl)");
        }
        String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
        ZipItem order = items.get(prefix + "byteorder");
        if (order != null
                && new String(slice(order, "byteorder").toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)
                        .trim()
                        .equals("big"))
            throw new CheckpointException(source, "big-endian checkpoints are not supported");
        ZipItem p = items.get(pkl);
        if (p.method != 0)
            throw new CheckpointException(source, "compressed data.pkl is not supported (re-save with torch.save)");
        MemorySegment pickle = slice(p, "data.pkl");
        root = new PickleReader(pickle, 0, source, pid -> storageRef(pid, 5)).load();
        Map<String, ZipItem> all = items;
        flatten(root, ref -> {
            ZipItem item = all.get(prefix + "data/" + ref.key());
            if (item == null) return null;
            if (item.method != 0)
                throw new CheckpointException(
                        source, "storage data/" + ref.key() + " is compressed (not written by torch.save)");
            if (item.dataOffset < 0 || item.dataOffset > file.byteSize()) return null;
            long avail = Math.max(0, Math.min(item.size, file.byteSize() - item.dataOffset));
            return file.asSlice(item.dataOffset, avail);
        });
    }

    private MemorySegment slice(ZipItem item, String what) {
        if (item.size < 0 || item.dataOffset < 0 || item.size > file.byteSize() - item.dataOffset)
            throw new CheckpointException(source, "entry " + what + " is cut short (file truncated?)");
        return file.asSlice(item.dataOffset, item.size);
    }

    /** Entries from the zip's central directory, or null when the end record is missing. */
    private Map<String, ZipItem> centralDirectory() {
        long size = file.byteSize();
        long eocd = -1;
        for (long p = size - 22; p >= Math.max(0, size - 22 - 65535); p--) {
            if (file.get(INT_LE, p) == 0x06054b50) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) return null;
        long count = file.get(SHORT_LE, eocd + 10) & 0xffff;
        long cdOffset = file.get(INT_LE, eocd + 16) & 0xffffffffL;
        if (eocd >= 20 && file.get(INT_LE, eocd - 20) == 0x07064b50) { // zip64 locator
            long z = file.get(LONG_LE, eocd - 12);
            if (z < 0 || z + 56 > size || file.get(INT_LE, z) != 0x06064b50) return null;
            count = file.get(LONG_LE, z + 32);
            cdOffset = file.get(LONG_LE, z + 48);
        }
        Map<String, ZipItem> out = new LinkedHashMap<>();
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            if (p + 46 > size || file.get(INT_LE, p) != 0x02014b50)
                throw new CheckpointException(source, "corrupt zip central directory");
            int method = file.get(SHORT_LE, p + 10) & 0xffff;
            long csize = file.get(INT_LE, p + 20) & 0xffffffffL;
            long usize = file.get(INT_LE, p + 24) & 0xffffffffL;
            int nameLen = file.get(SHORT_LE, p + 28) & 0xffff;
            int extraLen = file.get(SHORT_LE, p + 30) & 0xffff;
            int commentLen = file.get(SHORT_LE, p + 32) & 0xffff;
            long local = file.get(INT_LE, p + 42) & 0xffffffffL;
            String name =
                    new String(file.asSlice(p + 46, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            long e = p + 46 + nameLen, eEnd = e + extraLen;
            while (e + 4 <= eEnd) { // zip64 extended information replaces the saturated fields, in order
                int id = file.get(SHORT_LE, e) & 0xffff, len = file.get(SHORT_LE, e + 2) & 0xffff;
                if (id == 1) {
                    long q = e + 4;
                    if (usize == 0xffffffffL) {
                        usize = file.get(LONG_LE, q);
                        q += 8;
                    }
                    if (csize == 0xffffffffL) {
                        csize = file.get(LONG_LE, q);
                        q += 8;
                    }
                    if (local == 0xffffffffL) {
                        local = file.get(LONG_LE, q);
                    }
                }
                e += 4 + len;
            }
            if (local < 0 || local > size - 30 || file.get(INT_LE, local) != 0x04034b50)
                throw new CheckpointException(source, "corrupt zip entry " + Bounds.clip(name));
            long data =
                    local + 30 + (file.get(SHORT_LE, local + 26) & 0xffff) + (file.get(SHORT_LE, local + 28) & 0xffff);
            out.put(name, new ZipItem(data, csize, method));
            p += 46 + nameLen + extraLen + commentLen;
        }
        return out;
    }

    /** Walks the local headers from the start: what is left of an archive whose end was cut off. */
    private Map<String, ZipItem> scanLocalHeaders() {
        Map<String, ZipItem> out = new LinkedHashMap<>();
        long size = file.byteSize(), p = 0;
        while (p + 30 <= size && file.get(INT_LE, p) == 0x04034b50) {
            int method = file.get(SHORT_LE, p + 8) & 0xffff;
            long csize = file.get(INT_LE, p + 18) & 0xffffffffL;
            int nameLen = file.get(SHORT_LE, p + 26) & 0xffff;
            int extraLen = file.get(SHORT_LE, p + 28) & 0xffff;
            if (p + 30 + nameLen > size) break;
            String name =
                    new String(file.asSlice(p + 30, nameLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            long e = p + 30 + nameLen, eEnd = Math.min(size, e + extraLen);
            while (e + 4 <= eEnd) {
                int id = file.get(SHORT_LE, e) & 0xffff, len = file.get(SHORT_LE, e + 2) & 0xffff;
                if (id == 1 && csize == 0xffffffffL && e + 20 <= eEnd) csize = file.get(LONG_LE, e + 12);
                e += 4 + len;
            }
            long data = p + 30 + nameLen + extraLen;
            int flags = file.get(SHORT_LE, p + 6) & 0xffff;
            if ((flags & 8) == 0) {
                out.put(name, new ZipItem(data, csize, method));
                p = data + csize;
                continue;
            }
            // Sizes follow the data in a descriptor (PyTorch's writer does this): find the
            // descriptor whose recorded size matches the distance travelled.
            long descriptor = -1, next = -1;
            for (long q = data; q + 16 <= size && descriptor < 0; q++) {
                if (file.get(INT_LE, q) != 0x08074b50) continue;
                long len = q - data;
                if ((file.get(INT_LE, q + 8) & 0xffffffffL) == len) {
                    descriptor = q;
                    next = q + 16;
                } else if (q + 24 <= size && file.get(LONG_LE, q + 8) == len) {
                    descriptor = q;
                    next = q + 24;
                }
            }
            if (descriptor < 0) { // cut inside this entry: keep what is there
                out.put(name, new ZipItem(data, size - data, method));
                break;
            }
            out.put(name, new ZipItem(data, descriptor - data, method));
            p = next;
        }
        if (out.isEmpty()) throw new CheckpointException(source, "corrupt zip archive");
        return out;
    }

    // ---------------------------------------------------------------- legacy format

    private void readLegacy() {
        Map<String, DType> storageTypes = new HashMap<>();
        // The stream is several pickles in a row: magic, version, system info, the object, the storage keys.
        PickleReader r = new PickleReader(file, 0, source, pid -> {
            StorageRef ref = storageRef(pid, 5);
            storageTypes.put(ref.key(), ref.dtype());
            return ref;
        });
        Object magic = r.load();
        if (!(magic instanceof BigInteger b && b.equals(LEGACY_MAGIC)))
            throw new CheckpointException(source, "not a PyTorch checkpoint (a pickle without torch's magic number)");
        Object version = r.load();
        if (!(version instanceof Long v) || v != 1001L)
            throw new CheckpointException(
                    source, "unsupported legacy checkpoint version " + PickleReader.describe(version));
        Object sysInfo = r.load();
        if (sysInfo instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian")))
            throw new CheckpointException(source, "big-endian checkpoints are not supported");
        PickleReader main = r;
        root = main.load();
        Object keys = r.load();
        if (!(keys instanceof List<?> keyList))
            throw new CheckpointException(source, "corrupt legacy checkpoint (no storage list)");
        Map<String, MemorySegment> storages = new HashMap<>();
        long p = r.position(), size = file.byteSize();
        for (Object k : keyList) {
            if (!(k instanceof String key))
                throw new CheckpointException(
                        source, "corrupt legacy checkpoint (storage key " + PickleReader.describe(k) + ")");
            DType t = storageTypes.get(key);
            if (t == null || p > size - 8) break; // the rest is missing: the tensors using it report it
            long numel = file.get(LONG_LE, p);
            if (numel < 0 || numel > (size - p - 8) / t.bytes) { // a crafted count must not wrap the next position
                storages.put(
                        key, file.asSlice(p + 8, size - p - 8)); // what is there; the tensors using it report the rest
                break;
            }
            long bytes = numel * t.bytes;
            storages.put(key, file.asSlice(p + 8, bytes));
            p += 8 + bytes;
        }
        flatten(root, ref -> storages.get(ref.key()));
    }

    // ---------------------------------------------------------------- common

    private StorageRef storageRef(List<Object> pid, int minArgs) {
        if (pid.size() < minArgs || !"storage".equals(pid.get(0)))
            throw new CheckpointException(
                    source, "corrupt PyTorch checkpoint: unknown persistent id " + PickleReader.describe(pid));
        DType t = PickleReader.storageType(pid.get(1), source);
        long numel = pid.get(4) instanceof Long l ? l : -1;
        // Short string keys only: the key is looked up (and built into an entry name) for every tensor.
        Object key = pid.get(2);
        if (!(key instanceof String k) || k.length() > MAX_STORAGE_KEY)
            throw new CheckpointException(
                    source, "corrupt PyTorch checkpoint: storage key " + PickleReader.describe(key));
        return new StorageRef(t, k, numel);
    }

    /** A dict or list (or the root) met by the walk: its name is built only for the tensors under it. */
    private static final class Node {
        final Node parent;
        final String segment;
        final int nameLength; // saturates above MAX_NAME
        final int depth;
        int firstTensor = -1, tensorsBelow = -1; // -1: not yet left
        boolean revisited;

        Node(Node parent, String segment) {
            this.parent = parent;
            this.segment = segment;
            this.depth = parent == null ? 0 : parent.depth + 1;
            long len = parent == null
                    ? 0
                    : parent.parent == null ? segment.length() : (long) parent.nameLength + 1 + segment.length();
            this.nameLength = (int) Math.min(len, MAX_NAME + 1);
        }

        String name() {
            if (parent == null) return "";
            StringBuilder b = new StringBuilder(nameLength);
            ArrayDeque<String> parts = new ArrayDeque<>();
            for (Node n = this; n.parent != null; n = n.parent) parts.push(n.segment);
            for (String part : parts) b.append(b.isEmpty() ? "" : ".").append(part);
            return b.toString();
        }
    }

    private record Visit(Node node, Object value, boolean leaving) {}

    /**
     * Walks the unpickled object depth-first, in order, without recursion, collecting its tensors
     * under dotted names. Each dict and list is walked once: a billion-laughs pickle (a list of
     * ten copies of a list of ten copies of ...) stays linear and a cyclic one ends. A state dict
     * never shares containers, so one that is shared and holds tensors is rejected; shared
     * tensor-free values (configs) are simply not walked twice.
     */
    private void flatten(Object root, Function<StorageRef, MemorySegment> storageOf) {
        IdentityHashMap<Object, Node> seen = new IdentityHashMap<>();
        ArrayDeque<Visit> todo = new ArrayDeque<>();
        todo.push(new Visit(new Node(null, ""), root, false));
        long nameChars = 0;
        while (!todo.isEmpty()) {
            Visit v = todo.pop();
            Node node = v.node;
            if (v.leaving) {
                node.tensorsBelow = entries.size() - node.firstTensor;
                if (node.revisited && node.tensorsBelow > 0) throw sharedTensors(node);
                continue;
            }
            Object o = v.value;
            if (o instanceof TensorRef t) {
                String name = node.parent == null ? "tensor" : tensorName(node);
                nameChars += name.length();
                if (entries.size() >= MAX_TENSORS || nameChars > MAX_NAME_CHARS)
                    throw new CheckpointException(
                            source,
                            "holds more than " + MAX_TENSORS + " tensors or " + MAX_NAME_CHARS
                                    + " characters of names (not a state dict)");
                addTensor(name, t, storageOf);
                continue;
            }
            if (!(o instanceof Map<?, ?>) && !(o instanceof List<?>))
                continue; // numbers, strings, other objects: not weights
            Node first = seen.putIfAbsent(o, node);
            if (first != null) { // shared or cyclic: walked once already (or being walked)
                if (first.tensorsBelow > 0) throw sharedTensors(first);
                first.revisited = true;
                continue;
            }
            if (node.depth >= MAX_DEPTH)
                throw new CheckpointException(
                        source,
                        "corrupt PyTorch checkpoint: nested deeper than " + MAX_DEPTH + " levels (not a state dict)");
            node.firstTensor = entries.size();
            todo.push(new Visit(node, o, true));
            // Children are pushed last-first so they are visited in order.
            ArrayList<Visit> children = new ArrayList<>();
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet())
                    children.add(new Visit(new Node(node, segment(e.getKey())), e.getValue(), false));
            } else {
                List<?> l = (List<?>) o;
                for (int i = 0; i < l.size(); i++)
                    children.add(new Visit(new Node(node, Integer.toString(i)), l.get(i), false));
            }
            for (int i = children.size() - 1; i >= 0; i--) todo.push(children.get(i));
        }
    }

    private CheckpointException sharedTensors(Node n) {
        String where = n.parent == null
                ? "the saved object"
                : "'" + Bounds.clip(n.nameLength > MAX_NAME ? n.segment : n.name()) + "'";
        return new CheckpointException(
                source,
                "corrupt PyTorch checkpoint: " + where
                        + " holds tensors and appears more than once (shared or cyclic; not a state dict)");
    }

    /** The text of a dict key in a tensor name; the pickle reader allows only scalars and short tuples of them. */
    private static String segment(Object key) {
        if (key instanceof String s) return s;
        if (!(key instanceof List<?> tuple)) return String.valueOf(key);
        StringBuilder b = new StringBuilder("[");
        for (Object e : tuple) {
            if (b.length() > MAX_NAME) break; // too long for a tensor name either way; do not copy more of it
            b.append(b.length() > 1 ? ", " : "").append(e);
        }
        return b.append(']').toString();
    }

    private String tensorName(Node node) {
        if (node.nameLength > MAX_NAME)
            throw new CheckpointException(
                    source,
                    "corrupt PyTorch checkpoint: a tensor name longer than " + MAX_NAME + " characters ('"
                            + Bounds.clip(node.segment) + "')");
        return node.name();
    }

    /**
     * Checks a tensor against its storage with exact arithmetic: the highest element it reads,
     * offset + sum of (size - 1) * stride, must lie inside the storage. Plain arithmetic let a
     * 2^62 size wrap around and read the wrong bytes.
     */
    private void addTensor(String name, TensorRef t, Function<StorageRef, MemorySegment> storageOf) {
        MemorySegment s = storageOf.apply(t.storage());
        if (s == null)
            throw new CheckpointException(
                    source,
                    "tensor '" + Bounds.clip(name) + "': its storage "
                            + t.storage().key() + " is missing (file truncated?)");
        long[] size = t.size(), stride = t.stride();
        long elements = Bounds.elements(size, source, name);
        if (t.offset() < 0)
            throw new CheckpointException(
                    source, "tensor '" + Bounds.clip(name) + "' has a negative storage offset " + t.offset());
        for (long st : stride)
            if (st < 0)
                throw new CheckpointException(source, "tensor '" + Bounds.clip(name) + "' has a negative stride " + st);
        long needBytes = 0;
        if (elements > 0) {
            long last = t.offset();
            for (int i = 0; i < size.length; i++)
                last = Bounds.plus(last, Bounds.times(size[i] - 1, stride[i], source, name), source, name);
            needBytes =
                    Bounds.times(Bounds.plus(last, 1, source, name), t.storage().dtype().bytes, source, name);
        }
        if (needBytes > s.byteSize())
            throw new CheckpointException(
                    source,
                    "tensor '" + Bounds.clip(name) + "' needs " + needBytes + " bytes of storage "
                            + t.storage().key() + " but only " + s.byteSize()
                            + " are present (file truncated or corrupt)");
        entries.put(
                name,
                new Tensor(new TensorInfo(name, t.storage().dtype(), size.clone()), s, t.offset(), stride.clone()));
    }

    @Override
    protected void read(Tensor t, float[] out) {
        DType type = t.info.dtype();
        long[] shape = t.info.shape();
        if (isContiguous(shape, t.stride)) {
            type.readInto(t.storage, t.offset, out);
            return;
        }
        // Strided view: walk the multi-index in row-major order.
        int rank = shape.length;
        long[] idx = new long[rank];
        long at = t.offset;
        for (int i = 0; i < out.length; i++) {
            out[i] = type.read(t.storage, at);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                at += t.stride[d];
                if (idx[d] < shape[d]) break;
                at -= idx[d] * t.stride[d];
                idx[d] = 0;
            }
        }
    }

    private static boolean isContiguous(long[] shape, long[] stride) {
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expect) return false;
            expect *= shape[d];
        }
        return true;
    }

    @Override
    public void close() {
        arena.close();
    }
}
