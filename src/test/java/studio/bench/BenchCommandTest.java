package studio.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.cli.StudioCli;

/** {@code studio bench}: one subcommand per benchmark; missing weights are a one-line error, exit 2. */
class BenchCommandTest {
    @TempDir
    Path dir;

    /** {exit code, stdout, stderr} of the CLI (picocli's writers wrap System.out/err when the command line is made). */
    private static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            var cl = StudioCli.commandLine();
            code = cl.execute(args);
            cl.getOut().flush();
            cl.getErr().flush();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), o.toString(), e.toString()};
    }

    @Test
    void helpListsEveryBenchmark() {
        String[] r = run("bench", "--help");
        assertEquals("0", r[0], r[2]);
        for (String name : new String[] {"builtin", "face", "motion", "facerender", "gfpgan", "unet", "memory"})
            assertTrue(r[1].matches("(?s).*\\n\\s+" + name + "\\s.*"), name + " in:\n" + r[1]);
    }

    @Test
    void neuralBenchmarksWithoutWeightsSayWhatToPass() {
        String empty = dir.toString();
        for (String[] args : new String[][] {
            {"bench", "facerender", "--checkpoint-dir", empty},
            {"bench", "motion", "--checkpoint-dir", empty},
            {"bench", "gfpgan", "--checkpoint-dir", empty},
            {"bench", "unet"}
        }) {
            String[] r = run(args);
            assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].contains("--schema"), r[2]);
        }
    }

    @Test
    void memoryTakesRenderOptionsOnlyAfterTheDelimiter() {
        String[] r = run("bench", "memory", "1", "--size", "256");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--size"), r[2]);
    }

    @Test
    void theMemoryChildMainExists() throws Exception {
        assertNotNull(Class.forName(MemoryBench.CHILD_MAIN).getMethod("main", String[].class));
    }
}
