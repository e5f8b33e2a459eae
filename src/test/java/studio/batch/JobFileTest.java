package studio.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.cli.StudioCli;
import studio.face.Preprocess;
import studio.job.StudioException;
import studio.pipeline.RenderOptions;

/** The JOBS file: formats, names, relative paths and one-line errors; and Spark stays off the other commands. */
class JobFileTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void csvWithQuotesKebabCaseAndRelativePaths() throws Exception {
        Path f = Files.writeString(
                dir.resolve("jobs.csv"),
                "id,image,audio,pose-style,Expression_Scale,still,input_yaw,preprocess\r\n"
                        + "a,faces/a.png,\"voice, one.wav\",3,1.5,true,\"0 10 -5\",full\r\n"
                        + "\r\n"
                        + "b,/abs/b.png,b.wav,,,,,\r\n");
        List<BatchJob> jobs = JobFile.read(f);
        assertEquals(2, jobs.size());
        BatchJob a = jobs.get(0);
        assertEquals("a", a.id());
        assertEquals(2, a.line());
        assertEquals(dir.resolve("faces/a.png").toString(), a.image());
        assertEquals(dir.resolve("voice, one.wav").toString(), a.audio());
        RenderOptions o = JobOptions.of(a, dir.resolve("a.mp4"), dir);
        assertEquals(3, o.poseStyle());
        assertEquals(1.5, o.expressionScale());
        assertTrue(o.still());
        assertEquals(List.of(0.0, 10.0, -5.0), o.inputYaw());
        assertEquals(Preprocess.FULL, o.preprocess());
        assertEquals(4, jobs.get(1).line());
        assertEquals("/abs/b.png", jobs.get(1).image());
        assertEquals(Map.of(), jobs.get(1).options());
    }

    @Test
    @Timeout(30)
    void jsonLines() throws Exception {
        Path f = Files.writeString(
                dir.resolve("jobs.jsonl"),
                "{\"id\":\"x1\",\"image\":\"p.png\",\"audio\":\"s.wav\",\"size\":512,\"input-pitch\":[1,2]}\n\n"
                        + "{\"id\":\"x2\",\"source_image\":\"p.png\",\"driven_audio\":\"s.wav\",\"engine\":\"builtin\"}\n");
        List<BatchJob> jobs = JobFile.read(f);
        assertEquals(List.of(1, 3), jobs.stream().map(BatchJob::line).toList());
        RenderOptions o = JobOptions.of(jobs.get(0), dir.resolve("x1.mp4"), dir);
        assertEquals(512, o.size());
        assertEquals(List.of(1.0, 2.0), o.inputPitch());
        assertEquals(
                RenderOptions.EngineChoice.BUILTIN,
                JobOptions.of(jobs.get(1), dir.resolve("x2.mp4"), dir).engine());
    }

    @Test
    @Timeout(30)
    void badIdsAndColumnsFailTheFileWithOneLineNamingFileAndLine() throws Exception {
        assertError("id,image,audio\nok,a.png,a.wav\n../evil,a.png,a.wav\n", "jobs.csv line 3: id '../evil'");
        assertError("id,image,audio\n.hidden,a.png,a.wav\n", "jobs.csv line 2: id '.hidden'");
        assertError("id,image,audio\na b,a.png,a.wav\n", "jobs.csv line 2: id 'a b'");
        assertError(
                "id,image,audio\nA,a.png,a.wav\nx,a.png,a.wav\na,b.png,b.wav\n",
                "line 4: id 'a' is already used on line 2");
        assertError("id,image,audio,colour\nA,a.png,a.wav,red\n", "jobs.csv line 2: unknown column 'colour'");
        assertError("id,image\nA,a.png\n", "jobs.csv line 1: the header has no 'audio' column");
        assertError("id,image,audio\n,a.png,a.wav\n", "jobs.csv line 2: no id");
        assertError("id,image,audio\nA,,a.wav\n", "jobs.csv line 2: job A has no image");
        assertError("id,image,audio\nA,a.png,a.wav,extra\n", "jobs.csv line 2: 4 fields");
        assertError("id,image,audio\n", "jobs.csv: no jobs");
        assertError("id,image,audio\n\"A,a.png,a.wav\n", "a quoted field is not closed");
    }

    @Test
    @Timeout(30)
    void theCliSaysWhichFileAndLineAndExitsWith2() throws Exception {
        Path f = Files.writeString(dir.resolve("jobs.csv"), "id,image,audio\na/b,a.png,a.wav\n");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = StudioCli.execute(
                    "batch", f.toString(), "--out", dir.resolve("out").toString());
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(StudioCli.EXIT_USER_ERROR, code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: " + f + " line 2: id 'a/b' is not a plain file name"), text);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    @Timeout(30)
    void aBadOptionValueFailsOnlyItsJob() throws Exception {
        Path f = Files.writeString(dir.resolve("jobs.csv"), "id,image,audio,pose_style,engine\nA,a.png,a.wav,99,x\n");
        BatchJob j = JobFile.read(f).get(0);
        StudioException e = assertThrows(StudioException.class, () -> JobOptions.of(j, dir.resolve("A.mp4"), dir));
        assertTrue(e.getMessage().startsWith("jobs.csv line 2: "), e.getMessage());
    }

    @Test
    @Timeout(30)
    void resultsQuoteCommasAndQuotes() {
        assertEquals("plain", ResultsFile.cell("plain"));
        assertEquals("\"a, \"\"b\"\"\"", ResultsFile.cell("a, \"b\""));
    }

    /** Building the command line (as render and app do) loads no Spark class: only batch's call() does. */
    @Test
    @Timeout(60)
    void theCommandLineDoesNotLoadSpark() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator))
            urls.add(Path.of(p).toUri().toURL());
        try (Recording loader = new Recording(urls.toArray(URL[]::new))) {
            Class<?> cli = loader.loadClass("studio.cli.StudioCli");
            Method m = cli.getMethod("commandLine");
            Object cl = m.invoke(null);
            cl.getClass().getMethod("getUsageMessage").invoke(cl);
            assertTrue(loader.loaded("studio.batch.BatchCommand"), "batch is a subcommand");
            assertFalse(loader.loaded("studio.batch.SparkBatch"), "SparkBatch loaded");
            assertFalse(loader.loaded("org.apache.spark.SparkConf"), "Spark loaded");
        }
    }

    private static final class Recording extends URLClassLoader {
        Recording(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    private void assertError(String csv, String start) throws Exception {
        Path f = Files.writeString(dir.resolve("jobs.csv"), csv);
        StudioException e = assertThrows(StudioException.class, () -> JobFile.read(f));
        assertTrue(e.getMessage().contains(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
