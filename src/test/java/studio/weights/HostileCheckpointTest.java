package studio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.cli.StudioCli;

/**
 * Hostile checkpoint files, each crafted here byte by byte: every one must fail as one short line
 * naming the file (a {@link CheckpointException}; exit code 2 from the CLI), in bounded time and
 * memory. Pickles are written by hand with {@link Pickle}; a torch zip checkpoint is a stored zip
 * holding {@code archive/data.pkl} and {@code archive/data/0}.
 */
@Timeout(20)
class HostileCheckpointTest {
    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- pickle writer

    /** Just the opcodes torch.save uses, written by hand (protocol 2). */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() {
            op(0x80, 2);
        }

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').raw(le(4, b.length));
            return raw(b);
        }

        Pickle global(String module, String name) {
            op('c');
            return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        /** LONG1 with 8 bytes: any long. */
        Pickle num(long v) {
            return op(0x8a, 8).raw(le(8, v));
        }

        Pickle tuple(long... values) {
            op('(');
            for (long v : values) num(v);
            return op('t');
        }

        Pickle put(int memo) {
            return op('q', memo);
        }

        Pickle get(int memo) {
            return op('h', memo);
        }

        /** A float32 tensor of storage "0" (holding {@code numel} floats) at {@code offset} with sizes and strides. */
        Pickle tensor(long numel, long offset, long[] size, long[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage")
                    .global("torch", "FloatStorage")
                    .str("0")
                    .str("cpu")
                    .num(numel)
                    .op('t', 'Q');
            num(offset)
                    .tuple(size)
                    .tuple(stride)
                    .op(0x89)
                    .global("collections", "OrderedDict")
                    .op(')', 'R');
            return op('t', 'R');
        }

        Pickle stop() {
            return op('.');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] le(int n, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[n];
        System.arraycopy(b.array(), 0, out, 0, n);
        return out;
    }

    /** A torch zip checkpoint (stored entries, as torch.save writes them) with one storage of {@code floats}. */
    Path zip(String name, byte[] pickle, float... floats) throws IOException {
        ByteBuffer storage = ByteBuffer.allocate(4 * floats.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : floats) storage.putFloat(f);
        Path file = tmp.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            stored(z, "archive/data.pkl", pickle);
            stored(z, "archive/data/0", storage.array());
        }
        return file;
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /** {'w': a 2x3 float tensor}, the dict left on the stack for the caller's entries. */
    static Pickle stateDict() {
        return new Pickle()
                .op('}')
                .str("w")
                .tensor(6, 0, new long[] {2, 3}, new long[] {3, 1})
                .op('s');
    }

    /** On top of the memoised list 0 (which it pops): lists 1 to 40, each holding ten copies of the one before; leaves list 40. */
    static void laughs(Pickle p) {
        for (int level = 1; level <= 40; level++) {
            p.op('0', '(');
            for (int i = 0; i < 10; i++) p.get(level - 1);
            p.op('l').put(level);
        }
    }

    // ---------------------------------------------------------------- checks

    /** Opening fails with one short line naming the file; the CLI says it as "error: ..." with exit code 2. */
    private static String assertRejected(Path file, String problem) {
        CheckpointException e = assertThrows(
                CheckpointException.class, () -> Checkpoints.open(file).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString() + ": "), m);
        assertTrue(m.contains(problem), "says '" + problem + "': " + m);
        assertTrue(m.length() < file.toString().length() + 200, "short: " + m.length() + " characters");
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    private static void assertCliRejects(Path file) {
        var cl = StudioCli.commandLine();
        var err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("info", file.toString());
        String text = err.toString().trim();
        assertEquals(2, code, text);
        assertEquals(1, text.lines().count(), "one line, no stack trace: " + text);
        assertTrue(text.startsWith("error: " + file), text);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        System.gc();
        return r.totalMemory() - r.freeMemory();
    }

    // ---------------------------------------------------------------- legitimate files still load

    @Test
    void legitimateCheckpointsStillLoad() throws IOException {
        Path ok = zip("ok.pth", stateDict().stop().bytes(), 1, 2, 3, 4, 5, 6);
        try (StateDict d = Checkpoints.open(ok)) {
            assertArrayEquals(new long[] {2, 3}, d.info("w").shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.floats("w"));
        }
        // A transposed view of the same storage: strides other than row-major still read the right bytes.
        Path view = zip(
                "view.pth",
                new Pickle()
                        .op('}')
                        .str("t")
                        .tensor(6, 0, new long[] {3, 2}, new long[] {1, 3})
                        .op('s')
                        .stop()
                        .bytes(),
                1,
                2,
                3,
                4,
                5,
                6);
        try (StateDict d = Checkpoints.open(view)) {
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, d.floats("t"));
        }
        for (Path f : new Path[] {TorchCheckpointTest.ZIP, TorchCheckpointTest.LEGACY, TorchCheckpointTest.REFERENCE}) {
            try (StateDict d = Checkpoints.open(f)) {
                assertTrue(!d.keys().isEmpty(), f.toString());
                for (String k : d.keys()) assertEquals(d.info(k).elements(), d.floats(k).length, k);
            }
        }
    }

    // ---------------------------------------------------------------- item 3: the unpickler

    /** a = [tensor]; b = [a] * 10; c = [b] * 10; ... 40 levels: 10^40 paths to one tensor, in about 1 KB. */
    @Test
    void billionLaughsIsRejectedQuicklyInLittleMemory() throws IOException {
        Pickle p = stateDict()
                .str("laughs")
                .op(']')
                .put(0)
                .op('(')
                .tensor(6, 0, new long[] {6}, new long[] {1})
                .op('e');
        laughs(p);
        p.op('s').stop();
        Path file = zip("laughs.pth", p.bytes(), 1, 2, 3, 4, 5, 6);
        long before = usedHeap();
        assertRejected(file, "appears more than once");
        assertTrue(usedHeap() - before < 512L << 20, "heap growth " + ((usedHeap() - before) >> 20) + " MB");
        assertCliRejects(file);
    }

    /** The same sharing without tensors (a config, say) is walked once and the weights load. */
    @Test
    void sharedValuesWithoutTensorsAreWalkedOnce() throws IOException {
        Pickle p =
                stateDict().str("config").op(']').put(0).op('(').num(1).num(2).op('e');
        laughs(p);
        p.op('s');
        p.str("loop").op(']').put(99).get(99).op('a', 's'); // a = []; a.append(a)
        Path file = zip("config.pth", p.stop().bytes(), 1, 2, 3, 4, 5, 6);
        try (StateDict d = Checkpoints.open(file)) {
            assertEquals(Set.of("w"), d.keys());
        }
    }

    /** a = [tensor]; a.append(a): used to overflow the stack (exit 1, a trace, the file left mapped). */
    @Test
    void selfReferencingListIsRejected() throws IOException {
        Pickle p = stateDict()
                .str("loop")
                .op(']')
                .put(0)
                .tensor(6, 0, new long[] {6}, new long[] {1})
                .op('a')
                .get(0)
                .op('a', 's');
        Path file = zip("loop.pth", p.stop().bytes(), 1, 2, 3, 4, 5, 6);
        assertRejected(file, "appears more than once");
        assertCliRejects(file);
        Files.delete(file); // the memory map was closed
    }

    @Test
    void fiftyThousandLevelsOfNestingAreRejected() throws IOException {
        Pickle p = stateDict().str("deep");
        for (int i = 0; i < 50_000; i++) p.op(']');
        for (int i = 1; i < 50_000; i++) p.op('a');
        Path file = zip("deep.pth", p.op('s').stop().bytes(), 1, 2, 3, 4, 5, 6);
        assertRejected(file, "nested deeper than 1000");
        assertCliRejects(file);
    }

    /** BigInteger parses a 10 MB number in quadratic time: numbers are at most 40 digits. */
    @Test
    void hugeDecimalNumberIsRejected() throws IOException {
        byte[] digits = new byte[10_000_000];
        Arrays.fill(digits, (byte) '1');
        Path legacy = tmp.resolve("digits.pth");
        Files.write(legacy, new Pickle().op('I').raw(digits).op('\n').stop().bytes());
        assertRejected(legacy, "number longer than");
        assertCliRejects(legacy);
        Path inZip = zip(
                "digits_zip.pth",
                stateDict()
                        .str("n")
                        .op('L')
                        .raw(digits)
                        .op('L', '\n', 's')
                        .stop()
                        .bytes(),
                1,
                2,
                3,
                4,
                5,
                6);
        assertRejected(inZip, "number longer than");
    }

    @Test
    void hugeBinaryIntegerAndTooManyOpcodesAreRejected() throws IOException {
        Path long4 = zip(
                "long4.pth", new Pickle().op(0x8b).raw(le(4, 0x7fffffff)).stop().bytes());
        assertRejected(long4, "byte integer");
        // 21 million opcodes (None, pop): linear, but more work than any state dict needs.
        byte[] ops = new byte[42_000_000];
        for (int i = 0; i < ops.length; i += 2) {
            ops[i] = 'N';
            ops[i + 1] = '0';
        }
        Path many = zip("many.pth", new Pickle().raw(ops).op('N').stop().bytes());
        assertRejected(many, "opcodes");
    }

    @Test
    void malformedRecordsBecomeOneLine() throws IOException {
        // A list as a dict key (unhashable in Python; a self-containing one would hash forever).
        Path listKey = zip(
                "listkey.pth",
                new Pickle()
                        .op('}')
                        .op(']')
                        .put(0)
                        .get(0)
                        .op('a')
                        .num(1)
                        .op('s')
                        .stop()
                        .bytes());
        assertRejected(listKey, "dict key");
        // A tensor record whose offset is a string (a ClassCastException before).
        Path badOffset = zip(
                "badoffset.pth",
                new Pickle()
                        .op('}')
                        .str("w")
                        .global("torch._utils", "_rebuild_tensor_v2")
                        .op('(')
                        .op('(')
                        .str("storage")
                        .global("torch", "FloatStorage")
                        .str("0")
                        .str("cpu")
                        .num(6)
                        .op('t', 'Q')
                        .str("zero")
                        .tuple(6)
                        .tuple(1)
                        .op('t', 'R', 's')
                        .stop()
                        .bytes(),
                1,
                2,
                3,
                4,
                5,
                6);
        assertRejected(badOffset, "malformed tensor record");
        // Appending to a tuple, an unknown memo entry, a huge storage class name (not echoed).
        assertRejected(
                zip(
                        "tupleappend.pth",
                        new Pickle().op(')').num(1).op('a').stop().bytes()),
                "appends to a tuple");
        assertRejected(zip("memo.pth", new Pickle().get(7).stop().bytes()), "unknown memo entry");
        String longName = "S".repeat(1_000_000);
        Path storageName = zip(
                "storagename.pth",
                new Pickle()
                        .op('}')
                        .str("w")
                        .global("torch._utils", "_rebuild_tensor_v2")
                        .op('(')
                        .op('(')
                        .str("storage")
                        .global("torch", longName)
                        .str("0")
                        .str("cpu")
                        .num(6)
                        .op('t', 'Q')
                        .num(0)
                        .tuple(6)
                        .tuple(1)
                        .op('t', 'R', 's')
                        .stop()
                        .bytes(),
                1,
                2,
                3,
                4,
                5,
                6);
        assertRejected(storageName, "unsupported storage type");
    }

    // ---------------------------------------------------------------- item 4: tensor bounds

    private Path tensorFile(String name, long offset, long[] size, long[] stride) throws IOException {
        return zip(
                name,
                new Pickle()
                        .op('}')
                        .str("w")
                        .tensor(6, offset, size, stride)
                        .op('s')
                        .stop()
                        .bytes(),
                1,
                2,
                3,
                4,
                5,
                6);
    }

    @Test
    void impossibleSizesStridesAndOffsetsAreRejected() throws IOException {
        long big = 1L << 62;
        assertRejected(tensorFile("huge.pth", 0, new long[] {big}, new long[] {0}), "too large");
        assertRejected(tensorFile("overflow.pth", 0, new long[] {1L << 32, 1L << 32}, new long[] {0, 0}), "overflows");
        assertRejected(tensorFile("negsize.pth", 0, new long[] {-2}, new long[] {1}), "negative size");
        assertRejected(tensorFile("negstride.pth", 5, new long[] {2}, new long[] {-1}), "negative stride");
        assertRejected(tensorFile("negoffset.pth", -1, new long[] {2}, new long[] {1}), "negative storage offset");
        // Offsets and strides that wrapped around to small numbers with plain long arithmetic.
        assertRejected(tensorFile("bigoffset.pth", big, new long[] {1}, new long[] {1}), "overflows");
        assertRejected(tensorFile("bigstride.pth", 0, new long[] {3}, new long[] {big}), "overflows");
        assertRejected(tensorFile("pastend.pth", 4, new long[] {3}, new long[] {1}), "needs 28 bytes");
        Path cli = tensorFile("cli.pth", 0, new long[] {big}, new long[] {1});
        assertCliRejects(cli);
        // Empty tensors need no bytes, however large the other sizes.
        try (StateDict d = Checkpoints.open(tensorFile("empty.pth", 0, new long[] {0, big}, new long[] {1, 1}))) {
            assertEquals(0, d.floats("w").length);
        }
    }

    // ---------------------------------------------------------------- safetensors

    private Path safetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve(name);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(8, h.length));
        out.writeBytes(h);
        out.writeBytes(new byte[dataBytes]);
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void hostileSafetensorsHeadersAreRejected() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        try (StateDict d = Checkpoints.open(
                safetensors("ok.safetensors", "{" + a + ",\"__metadata__\":{\"format\":\"pt\"}}", 8))) {
            assertEquals(2, d.floats("a").length);
        }
        String[][] cases = {
            {"{" + a + "," + a + "}", "appears twice"},
            {"{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", "overlap"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", "data_offsets [8, 0]"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", "data_offsets [-8, 0]"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "negative size"},
            {"{\"a\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", "overflows"},
            {"{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "no dtype"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}", "shape is not an array"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", "not integers"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", "data_offsets [begin, end]"},
            {"{\"a\":[1,2]}", "is not an object"},
            {"{" + a + ",\"__metadata__\":{\"format\":5}}", "metadata 'format' is not a string"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "misshapen"},
            {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"shape\":[2]}}", "two 'shape' fields"},
            {"{\"a\":{\"dtype\":\"Q99\",\"shape\":[2],\"data_offsets\":[0,8]}}", "unsupported tensor type"},
            {"{\"a\":", "unreadable header"},
        };
        for (int i = 0; i < cases.length; i++)
            assertRejected(safetensors("bad" + i + ".safetensors", cases[i][0], 16), cases[i][1]);
        // A 10 MB string where an entry belongs, and a 10 MB tensor name: neither is echoed.
        String huge = "x".repeat(10_000_000);
        assertRejected(safetensors("hugevalue.safetensors", "{\"a\":\"" + huge + "\"}", 0), "is not an object");
        Path hugeName = safetensors("hugename.safetensors", "{\"" + huge + "\":7}", 0);
        assertRejected(hugeName, "is not an object");
        assertCliRejects(hugeName);
        Path badLength = tmp.resolve("badlength.safetensors");
        Files.write(badLength, concat(le(8, Long.MAX_VALUE), "{}".getBytes(StandardCharsets.US_ASCII)));
        assertRejected(badLength, "bad header length");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
