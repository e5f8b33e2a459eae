package studio.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal, safe unpickler for the pickles {@code torch.save} writes (protocols 2 to 4). Written
 * by hand because no Java library reads pickles: it builds plain Java values (Long, Double, String,
 * byte[], List, LinkedHashMap) and never runs code; classes it does not know become inert
 * {@link PyObject}s, and torch's tensor rebuild calls become {@link TensorRef}s.
 *
 * <p>The file is untrusted, so the work is bounded: at most {@link #MAX_OPS} opcodes and
 * {@link #MAX_MEMO} memo entries per pickle, decimal numbers of at most {@link #MAX_DIGITS}
 * digits (BigInteger parsing is quadratic), dict keys that are scalars or short tuples of scalars
 * (a list key would make every hash walk it, a cyclic one forever), and appends only to lists.
 * Nothing here recurses into the values built, so shared or cyclic values cost nothing until
 * {@link TorchCheckpoint} walks the result (which visits each container once).
 */
final class PickleReader {
    /** A Python global (module + name) referenced by the pickle. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** An object of a class this reader does not model (kept so a checkpoint with extras still loads). */
    record PyObject(Global type, List<Object> args) {}

    /** A storage referenced through persistent_id: its element type and the key of its bytes. */
    record StorageRef(DType dtype, String key, long numel) {}

    /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** Python None (a distinct value so maps and lists keep it). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** Far above a state dict's pickle (about 30 opcodes per tensor), far below minutes of work or GBs of objects. */
    static final long MAX_OPS = 20_000_000;

    static final int MAX_MEMO = 2_000_000;
    /** A 64-bit value has 20 digits; more is not a size, an offset or anything else a checkpoint holds. */
    static final int MAX_DIGITS = 40;
    /** LONG4 bytes: as with the decimal opcodes, only small big integers (the legacy magic is 10 bytes). */
    static final int MAX_LONG_BYTES = 64;

    private static final int MAX_KEY_TUPLE = 8;

    private static final Object MARK = new Object();
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_BE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private final String source;
    private final Function<List<Object>, Object> persistentLoad;
    private long pos;

    PickleReader(MemorySegment data, long start, String source, Function<List<Object>, Object> persistentLoad) {
        this.data = data;
        this.pos = start;
        this.source = source;
        this.persistentLoad = persistentLoad;
    }

    /** Position after the last pickle read (the next pickle of a legacy file starts here). */
    long position() {
        return pos;
    }

    /** Reads one pickle up to its STOP opcode. */
    Object load() {
        List<Object> stack = new ArrayList<>();
        Map<Long, Object> memo = new HashMap<>();
        long ops = 0;
        while (true) {
            if (++ops > MAX_OPS) throw corrupt("pickle has more than " + MAX_OPS + " opcodes (not a state dict)");
            if (memo.size() > MAX_MEMO)
                throw corrupt("pickle memoises more than " + MAX_MEMO + " values (not a state dict)");
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> pos += 8; // FRAME: frames are only a buffering hint
                case '.' -> {
                    return pop(stack);
                } // STOP
                case '(' -> stack.add(MARK);
                case ')' -> stack.add(Collections.unmodifiableList(new ArrayList<>()));
                case ']' -> stack.add(new ArrayList<>());
                case '}' -> stack.add(new LinkedHashMap<>());
                case 'N' -> stack.add(NONE);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> stack.add((long) data.get(INT_LE, take(4)));
                case 'K' -> stack.add((long) u8());
                case 'M' -> stack.add((long) (data.get(SHORT_LE, take(2)) & 0xffff));
                case 0x8a -> stack.add(longBytes(u8()));
                case 0x8b -> stack.add(longBytes(longLength(data.get(INT_LE, take(4)))));
                case 'G' -> stack.add(data.get(DOUBLE_BE, take(8)));
                case 'I' -> stack.add(parseIntLine(line(MAX_DIGITS + 2)));
                case 'L' -> stack.add(parseIntLine(line(MAX_DIGITS + 2).replace("L", "")));
                case 'F' -> stack.add(parseDouble(line(MAX_DIGITS + 2)));
                case 'X' -> stack.add(utf8(lenInt(data.get(INT_LE, take(4)))));
                case 0x8c -> stack.add(utf8(u8()));
                case 0x8d -> stack.add(utf8(lenInt(data.get(LONG_LE, take(8)))));
                case 'T' -> stack.add(latin1(lenInt(data.get(INT_LE, take(4)))));
                case 'U' -> stack.add(latin1(u8()));
                case 'S' -> stack.add(unquote(line()));
                case 'V' -> stack.add(line());
                case 'B' -> stack.add(bytes(lenInt(data.get(INT_LE, take(4)))));
                case 'C' -> stack.add(bytes(u8()));
                case 0x8e -> stack.add(bytes(lenInt(data.get(LONG_LE, take(8)))));
                case 't' -> stack.add(Collections.unmodifiableList(popToMark(stack)));
                case 0x85 -> stack.add(List.of(pop(stack)));
                case 0x86 -> {
                    Object b = pop(stack), a = pop(stack);
                    stack.add(listOf(a, b));
                }
                case 0x87 -> {
                    Object c = pop(stack), b = pop(stack), a = pop(stack);
                    stack.add(listOf(a, b, c));
                }
                case 'l' -> stack.add(new ArrayList<>(popToMark(stack)));
                case 'd' -> {
                    List<Object> items = popToMark(stack);
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) put(m, items.get(i), items.get(i + 1));
                    stack.add(m);
                }
                case 'a' -> {
                    Object v = pop(stack);
                    mutableList(peek(stack)).add(v);
                }
                case 'e' -> {
                    List<Object> items = popToMark(stack);
                    mutableList(peek(stack)).addAll(items);
                }
                case 's' -> {
                    Object v = pop(stack), k = pop(stack);
                    put(asMap(peek(stack)), k, v);
                }
                case 'u' -> {
                    List<Object> items = popToMark(stack);
                    Map<Object, Object> m = asMap(peek(stack));
                    for (int i = 0; i + 1 < items.size(); i += 2) put(m, items.get(i), items.get(i + 1));
                }
                case 'q' -> memo.put((long) u8(), peek(stack));
                case 'r' -> memo.put(data.get(INT_LE, take(4)) & 0xffffffffL, peek(stack));
                case 'p' -> memo.put(memoKey(line(MAX_DIGITS)), peek(stack));
                case 0x94 -> memo.put((long) memo.size(), peek(stack));
                case 'h' -> stack.add(memoGet(memo, u8()));
                case 'j' -> stack.add(memoGet(memo, data.get(INT_LE, take(4)) & 0xffffffffL));
                case 'g' -> stack.add(memoGet(memo, memoKey(line(MAX_DIGITS))));
                case '0' -> pop(stack);
                case '1' -> popToMark(stack);
                case '2' -> stack.add(peek(stack));
                case 'c' -> {
                    String module = line();
                    stack.add(new Global(module, line()));
                }
                case 0x93 -> {
                    Object name = pop(stack), module = pop(stack);
                    if (!(module instanceof String mod && name instanceof String n))
                        throw corrupt("pickle names a class with a non-string");
                    stack.add(new Global(mod, n));
                }
                case 'R' -> {
                    Object args = pop(stack), f = pop(stack);
                    stack.add(call(f, asList(args)));
                }
                case 0x81 -> {
                    Object args = pop(stack), cls = pop(stack);
                    stack.add(call(cls, asList(args)));
                }
                case 'b' -> pop(stack); // BUILD: object state (e.g. a state dict's _metadata) is not needed
                case 'Q' -> stack.add(persistentLoad.apply(asList(pop(stack))));
                default -> throw corrupt(String.format("unsupported pickle opcode 0x%02x at byte %d", op, pos - 1));
            }
        }
    }

    private Object call(Object f, List<Object> args) {
        if (!(f instanceof Global g)) throw corrupt("pickle calls a non-class value");
        switch (g.qualified()) {
            case "collections.OrderedDict", "builtins.dict", "__builtin__.dict" -> {
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (args.size() < 4 || !(args.get(0) instanceof StorageRef s) || !(args.get(1) instanceof Long offset))
                    throw corrupt("malformed tensor record");
                long[] size = longs(args.get(2)), stride = longs(args.get(3));
                if (size.length != stride.length)
                    throw corrupt("tensor record with " + size.length + " sizes but " + stride.length + " strides");
                return new TensorRef(s, offset, size, stride);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (args.isEmpty()) throw corrupt("malformed parameter record");
                return args.get(0);
            }
            case "_codecs.encode" -> {
                if (args.isEmpty() || !(args.get(0) instanceof String str)) throw corrupt("malformed bytes record");
                return str.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                return new PyObject(g, args);
            }
        }
    }

    /** The element type of a {@code torch.*Storage} class named in a persistent id. */
    static DType storageType(Object cls, String source) {
        if (!(cls instanceof Global g))
            throw new CheckpointException(source, "corrupt PyTorch checkpoint: malformed storage reference");
        String n = g.name();
        return switch (n) {
            case "FloatStorage" -> DType.F32;
            case "HalfStorage" -> DType.F16;
            case "BFloat16Storage" -> DType.BF16;
            case "DoubleStorage" -> DType.F64;
            case "LongStorage" -> DType.I64;
            case "IntStorage" -> DType.I32;
            case "ShortStorage" -> DType.I16;
            case "CharStorage" -> DType.I8;
            case "ByteStorage", "UntypedStorage" -> DType.U8;
            case "BoolStorage" -> DType.BOOL;
            default -> throw new CheckpointException(source, "unsupported storage type " + Bounds.clip(g.qualified()));
        };
    }

    /** A tensor's sizes or strides: a short tuple of integers (checked against the storage later). */
    private long[] longs(Object tuple) {
        if (!(tuple instanceof List<?> l) || l.size() > Bounds.MAX_RANK) throw corrupt("malformed tensor record");
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v)) throw corrupt("tensor record with a non-integer size or stride");
            out[i] = v;
        }
        return out;
    }

    /**
     * A dict entry. Keys must be hashable the cheap way: a list key (unhashable in Python, so
     * never written by torch.save) would make each hash walk the list, a cyclic one forever.
     */
    private void put(Map<Object, Object> m, Object k, Object v) {
        if (!isScalar(k)) {
            if (!(k instanceof List<?> t) || k instanceof ArrayList<?> || t.size() > MAX_KEY_TUPLE)
                throw corrupt("pickle has a dict key that is " + describe(k));
            for (Object e : t)
                if (!isScalar(e)) throw corrupt("pickle has a dict key that is a tuple holding " + describe(e));
        }
        m.put(k, v);
    }

    private static boolean isScalar(Object o) {
        return o instanceof String
                || o instanceof Long
                || o instanceof Double
                || o instanceof Boolean
                || o == NONE
                || (o instanceof BigInteger b && b.bitLength() <= 8 * MAX_LONG_BYTES);
    }

    /**
     * A short description of a pickled value for messages: never its {@code toString}, which
     * would walk a shared structure exponentially (or a cyclic one forever) and may be huge.
     */
    static String describe(Object o) {
        return switch (o) {
            case null -> "null";
            case String s -> "'" + Bounds.clip(s) + "'";
            case Long l -> l.toString();
            case BigInteger b -> b.bitLength() < 200 ? b.toString() : "a " + b.bitLength() + "-bit integer";
            case Boolean b -> b ? "True" : "False";
            case Double d -> d.toString();
            case byte[] b -> b.length + " bytes";
            case Map<?, ?> m -> "a dict of " + m.size() + " entries";
            case List<?> l -> (l instanceof ArrayList<?> ? "a list of " : "a tuple of ") + l.size() + " items";
            case Global g -> Bounds.clip(g.qualified());
            case PyObject p -> "a " + Bounds.clip(p.type().qualified()) + " object";
            case TensorRef t -> "a tensor";
            case StorageRef s -> "a storage";
            default -> o == NONE ? "None" : "a " + o.getClass().getSimpleName();
        };
    }

    private static List<Object> listOf(Object... items) {
        return Collections.unmodifiableList(new ArrayList<>(List.of(items)));
    }

    private Object memoGet(Map<Long, Object> memo, long key) {
        Object v = memo.get(key);
        if (v == null) throw corrupt("pickle refers to an unknown memo entry " + key);
        return v;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw corrupt("pickle expected a list or tuple, not " + describe(o));
    }

    /** Lists are ArrayLists; tuples are immutable and cannot be appended to. */
    @SuppressWarnings("unchecked")
    private List<Object> mutableList(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw corrupt("pickle appends to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw corrupt("pickle expected a dict, not " + describe(o));
    }

    private Object pop(List<Object> stack) {
        if (stack.isEmpty()) throw corrupt("pickle stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek(List<Object> stack) {
        if (stack.isEmpty()) throw corrupt("pickle stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popToMark(List<Object> stack) {
        int i = stack.size() - 1;
        while (i >= 0 && stack.get(i) != MARK) i--;
        if (i < 0) throw corrupt("pickle mark missing");
        List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
        stack.subList(i, stack.size()).clear();
        return items;
    }

    private long take(int n) {
        if (pos + n > data.byteSize()) throw corrupt("pickle ends unexpectedly (file truncated?)");
        long p = pos;
        pos += n;
        return p;
    }

    private int u8() {
        return data.get(ValueLayout.JAVA_BYTE, take(1)) & 0xff;
    }

    private int lenInt(long n) {
        if (n < 0 || n > Integer.MAX_VALUE) throw corrupt("pickle holds an impossible length " + n);
        return (int) n;
    }

    private byte[] bytes(int n) {
        long p = take(n);
        return data.asSlice(p, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private String utf8(int n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    private String latin1(int n) {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private String line() {
        return line(Long.MAX_VALUE);
    }

    /** A newline-terminated argument of at most {@code max} bytes (numbers are short; a long one is an attack). */
    private String line(long max) {
        long start = pos;
        while (true) {
            if (pos >= data.byteSize()) throw corrupt("pickle ends unexpectedly (file truncated?)");
            if (data.get(ValueLayout.JAVA_BYTE, pos++) == '\n') break;
            if (pos - start > max)
                throw corrupt("pickle holds a number longer than " + max + " characters at byte " + start);
        }
        return new String(data.asSlice(start, pos - 1 - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private Object parseIntLine(String s) {
        if (s.equals("00")) return Boolean.FALSE;
        if (s.equals("01")) return Boolean.TRUE;
        try {
            BigInteger b = new BigInteger(s.trim());
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        } catch (NumberFormatException e) {
            throw corrupt("pickle holds a malformed integer '" + Bounds.clip(s) + "'");
        }
    }

    private double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw corrupt("pickle holds a malformed float '" + Bounds.clip(s) + "'");
        }
    }

    private long memoKey(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw corrupt("pickle holds a malformed memo index '" + Bounds.clip(s) + "'");
        }
    }

    private int longLength(long n) {
        if (n < 0 || n > MAX_LONG_BYTES)
            throw corrupt("pickle holds a " + n + "-byte integer (at most " + MAX_LONG_BYTES + ")");
        return (int) n;
    }

    private static String unquote(String s) {
        s = s.trim();
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')) return s.substring(1, s.length() - 1);
        return s;
    }

    /** LONG1/LONG4: little-endian two's complement. */
    private Object longBytes(int n) {
        byte[] b = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = b[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private CheckpointException corrupt(String what) {
        return new CheckpointException(source, "corrupt PyTorch checkpoint: " + what);
    }
}
