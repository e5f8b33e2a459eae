package studio.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioLoader;
import studio.cli.StudioCli;

/** {@code studio bench memory}: real renders in fresh processes, each reporting its own peak memory. */
class MemoryBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void loopedClipHasTheAskedLength() throws Exception {
        Path wav = dir.resolve("clip.wav");
        MemoryBench.writeLooped(Path.of("samples/speech.wav"), 9.5, wav);
        assertEquals(9.5 * 16000, AudioLoader.decode(wav, 16000, 1).length, 1);
    }

    @Test
    void benchCommandRendersEachLengthInItsOwnProcess() {
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true));
            code = StudioCli.execute("bench", "memory", "1", "2", "--", "--size", "256", "--still");
        } finally {
            System.setOut(old);
        }
        String out = captured.toString();
        assertEquals(0, code, out);
        List<String> rows =
                out.lines().filter(l -> l.matches("\\| \\d+ s \\|.*")).toList();
        assertEquals(2, rows.size(), out);
        assertTrue(rows.get(0).startsWith("| 1 s | 25 |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| 2 s | 50 |"), rows.get(1));
        for (String row : rows) {
            double gib = Double.parseDouble(row.replaceAll(".*\\| ([0-9.]+) GiB \\|.*", "$1"));
            assertTrue(gib > 0.05 && gib < 24, row); // a real process's high-water mark, not a placeholder
        }
    }
}
