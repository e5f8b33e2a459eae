package studio.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioLoader;
import studio.cli.StudioCli;
import studio.testing.Mp4Probe;
import studio.testing.TestMedia;

/**
 * The "Must show", in Spark's {@code local-cluster[2,1,1536]} mode: two worker JVMs'
 * executors (separate processes, found and killed as such) render built-in engine jobs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchTest {
    static final String CLUSTER = "local-cluster[2,1,1536]";

    @TempDir
    static Path dir;

    static Path jobs, out;
    static final Map<String, Integer> FRAMES = new LinkedHashMap<>();

    /** Five valid jobs of 1.0–1.4 s and one whose image is missing. */
    @Test
    @Order(1)
    @Timeout(150)
    void rendersEveryJobOnTwoExecutorJvmsAndReportsTheBadOne() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(Path.of("samples/astronaut.png"), in.resolve("face.png"));
        StringBuilder csv = new StringBuilder("id,image,audio,engine,pose-style,expression_scale\n");
        for (int i = 1; i <= 5; i++) {
            double secs = 0.9 + 0.1 * i;
            Path wav = TestMedia.sampleSpeech(in.resolve("a" + i + ".wav"), secs);
            FRAMES.put("a" + i, AudioLoader.load(wav).numFrames());
            csv.append("a")
                    .append(i)
                    .append(",face.png,a")
                    .append(i)
                    .append(".wav,builtin,")
                    .append(i)
                    .append(",1.0\n");
        }
        csv.append("bad,missing.png,a1.wav,builtin,0,1.0\n");
        jobs = Files.writeString(in.resolve("jobs.csv"), csv);
        out = dir.resolve("out");

        Run r = batch(jobs, out, CLUSTER);
        assertEquals(BatchCommand.EXIT_SOME_FAILED, r.code, r.err);
        assertEquals(
                new TreeSet<>(List.of("a1.mp4", "a2.mp4", "a3.mp4", "a4.mp4", "a5.mp4", "results.csv")),
                names(out),
                "nothing else in DIR");
        for (String id : FRAMES.keySet()) assertValid(id);
        Map<String, String[]> rows = results(out);
        assertEquals(6, rows.size());
        for (int i = 1; i <= 5; i++) {
            String[] row = rows.get("a" + i);
            assertEquals("done", row[1], String.join(",", row));
            assertEquals(out.resolve("a" + i + ".mp4").toString(), row[2]);
            assertEquals("builtin", row[3]);
        }
        String[] bad = rows.get("bad");
        assertEquals("failed", bad[1]);
        assertTrue(bad[5].contains("missing.png"), bad[5]);
        assertEquals(renderError(in.resolve("missing.png"), in.resolve("a1.wav"), dir.resolve("r.mp4")), bad[5]);
        assertTrue(r.err.contains("failed: bad: "), r.err);
    }

    /** A second run over the same JOBS after one output was deleted renders only that one. */
    @Test
    @Order(2)
    @Timeout(120)
    void aSecondRunSkipsFinishedJobsAndRendersOnlyTheMissingOne() throws Exception {
        Files.delete(out.resolve("a3.mp4"));
        long before = Files.getLastModifiedTime(out.resolve("a1.mp4")).toMillis();
        Run r = batch(jobs, out, CLUSTER);
        assertEquals(BatchCommand.EXIT_SOME_FAILED, r.code, r.err);
        Map<String, String[]> rows = results(out);
        for (String id : List.of("a1", "a2", "a4", "a5")) assertEquals("skipped", rows.get(id)[1], id);
        assertEquals("done", rows.get("a3")[1]);
        assertEquals("failed", rows.get("bad")[1]);
        assertValid("a3");
        assertEquals(before, Files.getLastModifiedTime(out.resolve("a1.mp4")).toMillis(), "a1 not rewritten");
        assertEquals(6, names(out).size());
    }

    /** An executor JVM is killed while it renders: Spark runs its job again elsewhere. */
    @Test
    @Order(3)
    @Timeout(180)
    void aKilledExecutorsJobIsRenderedElsewhere() throws Exception {
        Path in = Files.createDirectories(dir.resolve("fault"));
        Files.copy(Path.of("samples/astronaut.png"), in.resolve("face.png"), StandardCopyOption.REPLACE_EXISTING);
        Path wav = TestMedia.sampleSpeech(in.resolve("long.wav"), 2.0);
        int frames = AudioLoader.load(wav).numFrames();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 1; i <= 6; i++)
            jsonl.append("{\"id\": \"f")
                    .append(i)
                    .append(
                            "\", \"image\": \"face.png\", \"audio\": \"long.wav\", \"engine\": \"builtin\", \"pose_style\": ")
                    .append(i)
                    .append("}\n");
        Path faultJobs = Files.writeString(in.resolve("jobs.jsonl"), jsonl);
        Path faultOut = dir.resolve("fault-out");
        AtomicInteger code = new AtomicInteger(-1);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> code.set(runCli(err, faultJobs, faultOut, CLUSTER)));
        t.start();
        AtomicLong killed = new AtomicLong(-1);
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (t.isAlive() && killed.get() < 0 && System.nanoTime() < deadline) {
            // A job is being encoded (its temporary file exists), or one has finished and both
            // executors have taken the next ones.
            if (Files.isDirectory(faultOut) && (hasTemporaryFile(faultOut) || finishedRows(faultOut) >= 1)) {
                ProcessHandle.current()
                        .descendants()
                        .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
                        .findFirst()
                        .ifPresent(p -> {
                            p.destroyForcibly();
                            killed.set(p.pid());
                        });
                if (killed.get() < 0)
                    seen.add(ProcessHandle.current()
                            .descendants()
                            .map(p -> p.pid() + ":"
                                    + commandLine(p)
                                            .substring(
                                                    Math.max(0, commandLine(p).length() - 300)))
                            .toList()
                            .toString());
            }
            Thread.sleep(10);
        }
        t.join();
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(killed.get() > 0, "an executor was killed while it rendered\n" + seen + "\n" + log);
        assertEquals(0, code.get(), log);
        Set<String> expected = new TreeSet<>(List.of("results.csv"));
        for (int i = 1; i <= 6; i++) expected.add("f" + i + ".mp4");
        assertEquals(expected, names(faultOut), "every output, no temporary file");
        Map<String, String[]> rows = results(faultOut);
        assertEquals(6, rows.size());
        for (int i = 1; i <= 6; i++) {
            assertEquals("done", rows.get("f" + i)[1]);
            Mp4Probe p = Mp4Probe.read(faultOut.resolve("f" + i + ".mp4"));
            assertEquals(frames, p.videoFrames());
            assertEquals(2.0, p.audioSeconds(), 0.1);
        }
    }

    private static void assertValid(String id) throws Exception {
        Mp4Probe p = Mp4Probe.read(out.resolve(id + ".mp4"));
        int frames = FRAMES.get(id);
        assertEquals(frames, p.videoFrames(), id);
        assertEquals(frames / 25.0, p.audioSeconds(), 0.1, id);
        assertTrue(p.comment().contains("engine=builtin"), p.comment());
    }

    /** The process's whole command line: /proc's (the JDK's is cut short after the long class path). */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return p.info().commandLine().orElse("");
        }
    }

    private static int finishedRows(Path d) {
        try {
            return Files.readAllLines(d.resolve("results.csv")).size() - 1;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean hasTemporaryFile(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".part")
                    && p.getFileName().toString().contains(".mp4."));
        }
    }

    /** The one line {@code render} prints for the same inputs, without its "error: " prefix. */
    static String renderError(Path image, Path audio, Path output) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            StudioCli.execute("render", "-i", image.toString(), "-a", audio.toString(), "-o", output.toString());
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        List<String> errors = text.lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), text);
        return errors.get(0).substring("error: ".length());
    }

    record Run(int code, String err) {}

    static Run batch(Path jobsFile, Path outDir, String master) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = runCli(err, jobsFile, outDir, master);
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    /** The CLI, its stderr captured (picocli's and the progress lines). */
    static int runCli(ByteArrayOutputStream err, Path jobsFile, Path outDir, String master) {
        PrintStream old = System.err;
        PrintStream capture = new PrintStream(new TeeStream(err, old), true, StandardCharsets.UTF_8);
        System.setErr(capture);
        try {
            return StudioCli.execute("batch", jobsFile.toString(), "--out", outDir.toString(), "--master", master);
        } finally {
            System.setErr(old);
        }
    }

    static Set<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** results.csv by id; the simple split holds because the test's messages have no comma or quote. */
    static Map<String, String[]> results(Path d) throws IOException {
        List<String> lines = Files.readAllLines(d.resolve("results.csv"));
        assertEquals(ResultsFile.HEADER, lines.get(0));
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            List<String> cells = new ArrayList<>(List.of(l.split(",", 6)));
            while (cells.size() < 6) cells.add("");
            String m = cells.get(5);
            if (m.startsWith("\"")) cells.set(5, m.substring(1, m.length() - 1).replace("\"\"", "\""));
            rows.put(cells.get(0), cells.toArray(String[]::new));
        }
        return rows;
    }

    /** Writes to both streams: the test reads what the CLI printed, the console still shows it. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a, b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
