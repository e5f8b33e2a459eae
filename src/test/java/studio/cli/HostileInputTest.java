package studio.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.testing.TestMedia;

/**
 * Hostile or unlucky inputs to {@code render} and {@code info} (issue 13, items 2, 5 and 7): each
 * crafted here, each answered by exit code 2 and one line naming the file, in bounded time and
 * memory, with nothing outside the job's own output changed.
 */
class HostileInputTest {
    private static final String IMAGE = "samples/astronaut.png";

    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private static Run cli(String... args) {
        var cl = StudioCli.commandLine();
        var err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, err.toString().trim());
    }

    private static Run render(String image, Path audio, Path out) {
        return cli("render", "-q", "-i", image, "-a", audio.toString(), "-o", out.toString(), "--engine", "builtin");
    }

    private static void assertOneLine(Run r, String names, String problem) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().contains(names), "names " + names + ": " + r.err());
        assertTrue(r.err().toLowerCase().contains(problem), "says the problem (" + problem + "): " + r.err());
        assertTrue(r.err().length() < 400, "short: " + r.err().length() + " chars");
    }

    /** Name → SHA-256 (or link target, or file type) of everything under a folder. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) out.put(key, "link→" + Files.readSymbolicLink(p));
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) out.put(key, sha256(Files.readAllBytes(p)));
                else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) out.put(key, "special");
            }
        }
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The first {@code seconds} of the bundled speech, as a 16 kHz WAV. */
    private Path speech(String name, double seconds) throws IOException {
        return TestMedia.sampleSpeech(dir.resolve(name), seconds);
    }

    private static boolean run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ 2: -o destroys what it should not

    @Test
    @Timeout(60)
    void outputThatIsTheAudioInputIsRefused() throws Exception {
        Path v = speech("v.wav", 1);
        Map<String, String> before = snapshot(dir);
        assertOneLine(render(IMAGE, v, v), "v.wav", "is also an input");
        assertEquals(before, snapshot(dir), "the input is untouched and nothing else appeared");
    }

    @Test
    @Timeout(60)
    void outputThatIsAHardLinkOfTheImageIsRefused() throws Exception {
        Path image = Files.copy(Path.of(IMAGE), dir.resolve("face.png"));
        Path alias = Files.createLink(dir.resolve("alias.mp4"), image);
        Path audio = speech("a.wav", 1);
        Map<String, String> before = snapshot(dir);
        assertOneLine(render(image.toString(), audio, alias), "alias.mp4", "is also an input");
        assertEquals(before, snapshot(dir));
    }

    @Test
    @Timeout(60)
    void fifoAsOutputIsRefusedAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("out.mp4");
        Assumptions.assumeTrue(run("mkfifo", fifo.toString()), "mkfifo unavailable");
        assertOneLine(render(IMAGE, speech("a.wav", 1), fifo), "out.mp4", "not a regular file");
        assertTrue(
                Files.exists(fifo, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS),
                "still a FIFO");
        assertNoPartFiles(dir);
    }

    @Test
    @Timeout(60)
    void deviceNodeAsOutputIsRefusedAndStaysADevice() throws Exception {
        Path dev = dir.resolve("null.mp4"); // a private copy of /dev/null (1,3): never the real one
        Assumptions.assumeTrue(run("mknod", dev.toString(), "c", "1", "3"), "mknod needs root");
        assertOneLine(render(IMAGE, speech("a.wav", 1), dev), "null.mp4", "not a regular file");
        assertEquals(
                "character",
                Files.getAttribute(dev, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m
                                && (m & 0170000) == 0020000
                        ? "character"
                        : "changed");
        assertOneLine(cli("info", IMAGE, "--debug-faces", dev.toString()), "null.mp4", "not a regular file");
    }

    @Test
    @Timeout(60)
    void symlinkAsOutputIsRefusedAndNeitherLinkNorTargetChange() throws Exception {
        Path victim = Files.writeString(dir.resolve("precious.txt"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("out.mp4"), victim);
        Path audio = speech("a.wav", 1);
        Map<String, String> before = snapshot(dir);
        assertOneLine(render(IMAGE, audio, link), "out.mp4", "symbolic link");
        assertEquals(before, snapshot(dir));
        assertEquals("keep me", Files.readString(victim));
    }

    @Test
    @Timeout(60)
    void coefficientsFileThatIsAnInputIsRefused() throws Exception {
        Path audio = speech("a.wav", 1);
        Map<String, String> before = snapshot(dir);
        Run r = cli(
                "render",
                "-q",
                "-i",
                IMAGE,
                "-a",
                audio.toString(),
                "-o",
                dir.resolve("o.mp4").toString(),
                "--save-coeffs",
                audio.toString());
        assertOneLine(r, "a.wav", "is also an input");
        assertEquals(before, snapshot(dir));
    }

    // ------------------------------------------------------------------ 5: small files that claim huge sizes

    @Test
    @Timeout(60)
    void wavClaimingOneHertzIsRefusedBeforeDecoding() throws Exception {
        Path bomb = TestMedia.pcmWav(
                dir.resolve("slow.wav"), new float[150_000], 1); // 300 KB that would resample to 41 hours
        long heapBefore = usedHeap();
        assertOneLine(render(IMAGE, bomb, dir.resolve("o.mp4")), "slow.wav", "sample rate");
        assertTrue(usedHeap() - heapBefore < 256L << 20, "no gigabytes allocated");
        assertOneLine(cli("info", bomb.toString()), "slow.wav", "sample rate");
        assertFalse(Files.exists(dir.resolve("o.mp4")));
    }

    @Test
    @Timeout(60)
    void pngBombIsRefusedFromItsHeader() throws Exception {
        Path bomb = pngBomb(dir.resolve("bomb.png"), 20000, 20000); // ~400 KB on disk, 400 Mpx decoded
        assertTrue(Files.size(bomb) < 2 << 20, "a small file: " + Files.size(bomb));
        long heapBefore = usedHeap();
        assertOneLine(render(bomb.toString(), speech("a.wav", 1), dir.resolve("o.mp4")), "bomb.png", "megapixel limit");
        assertOneLine(cli("info", bomb.toString()), "bomb.png", "megapixel limit");
        assertTrue(usedHeap() - heapBefore < 256L << 20, "nothing decoded");
    }

    @Test
    @Timeout(60)
    void webpClaimingHugeCanvasIsRefused() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes())
                .putInt(56)
                .put("WEBP".getBytes())
                .put("VP8X".getBytes())
                .putInt(10)
                .putInt(0);
        b.put((byte) 0xff)
                .put((byte) 0xff)
                .put((byte) 0x00)
                .put((byte) 0xff)
                .put((byte) 0xff)
                .put((byte) 0x00); // 65536 × 65536
        Path f = Files.write(dir.resolve("huge.webp"), b.array());
        assertOneLine(cli("info", f.toString()), "huge.webp", "megapixel limit");
    }

    @Test
    @Timeout(60)
    void deviceAsImageIsRefused() {
        assertOneLine(
                render("/dev/zero", Path.of("samples/speech.wav"), dir.resolve("o.mp4")),
                "/dev/zero",
                "not a regular file");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** A greyscale PNG of w × h black pixels: a few hundred KB that decode to w·h bytes. */
    private static Path pngBomb(Path file, int w, int h) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(
                png,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(w)
                        .putInt(h)
                        .put((byte) 8)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        Deflater d = new Deflater(9);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[w + 1], buf = new byte[1 << 16];
        for (int y = 0; y < h; y++) {
            d.setInput(row);
            while (!d.needsInput()) idat.write(buf, 0, d.deflate(buf));
        }
        d.finish();
        while (!d.finished()) idat.write(buf, 0, d.deflate(buf));
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return Files.write(file, png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes();
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ------------------------------------------------------------------ 7: signals, leftovers, full disks, modes

    @Test
    @Timeout(120)
    void sigtermCancelsPromptlyAndLeavesNothing() throws Exception {
        Path audio = TestMedia.sampleSpeechRepeated(dir.resolve("long.wav"), 6);
        Path outDir = Files.createDirectory(dir.resolve("out"));
        Path out = outDir.resolve("talk.mp4");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                StudioCli.class.getName(),
                "render",
                "-q",
                "-i",
                IMAGE,
                "-a",
                audio.toString(),
                "-o",
                out.toString(),
                "--engine",
                "builtin"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile())
                .start();
        try {
            Instant deadline = Instant.now().plusSeconds(90);
            while (partFiles(outDir).isEmpty() && p.isAlive() && Instant.now().isBefore(deadline)) Thread.sleep(20);
            assertTrue(p.isAlive(), "still rendering when signalled: " + Files.readString(dir.resolve("log.txt")));
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM, as a service manager or `kill` sends; Ctrl-C takes the same path
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits");
            double secs = (System.nanoTime() - t0) / 1e9;
            assertTrue(secs < 5, "exits within 5 s of the signal (was 10 s): " + secs);
            assertEquals(143, p.exitValue(), "killed by SIGTERM");
            assertEquals(List.of(), partFiles(outDir), "no temporary file left");
            assertFalse(Files.exists(out));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Timeout(120)
    void staleTemporaryFileOfAKilledRunIsRemovedOnTheNextRun() throws Exception {
        Path out = dir.resolve("talk.mp4");
        Path stale = Files.writeString(dir.resolve(".talk.mp4.1234abcd.part"), "half a video");
        Path fresh = Files.writeString(dir.resolve(".talk.mp4.99.part"), "another job, still running");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path foreign = Files.writeString(dir.resolve(".other.mp4.1.part"), "not ours to judge");
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Run r = render(IMAGE, speech("a.wav", 1), out);
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(stale), "the killed run's leftover is gone");
        assertTrue(Files.exists(fresh), "a recent one may be another running job: kept");
        assertTrue(Files.exists(foreign), "another output's file is not touched");
    }

    @Test
    @Timeout(120)
    void outputsGetTheUsersUmaskNot0600() throws Exception {
        Set<PosixFilePermission> expected =
                Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference"))); // what umask gives
        Path out = dir.resolve("talk.mp4");
        Run r = render(IMAGE, speech("a.wav", 1), out);
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, Files.getPosixFilePermissions(out));
        Path faces = dir.resolve("faces.png");
        assertEquals(0, cli("info", IMAGE, "--debug-faces", faces.toString()).code());
        assertEquals(expected, Files.getPosixFilePermissions(faces));
    }

    @Test
    @Timeout(120)
    void fullDiskSaysSoInOneLine() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        Assumptions.assumeTrue(
                run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", small.toString()),
                "mounting a tmpfs needs root");
        try {
            Path out = small.resolve("talk.mp4");
            Run r = render(IMAGE, speech("a.wav", 3), out);
            assertOneLine(r, "talk.mp4", "the disk is full");
            assertFalse(Files.exists(out));
            assertEquals(List.of(), partFiles(small), "the partial video is deleted");
        } finally {
            run("umount", small.toString());
        }
    }

    private static void assertNoPartFiles(Path d) throws IOException {
        assertEquals(List.of(), partFiles(d));
    }

    private static List<Path> partFiles(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
