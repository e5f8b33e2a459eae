package studio.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one clear line naming the file and the problem, exit code 2, no output file. */
class BadInputTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {}

    private Run render(String image, String audio, Path out) {
        var cl = StudioCli.commandLine();
        var err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("render", "-q", "-i", image, "-a", audio, "-o", out.toString());
        return new Run(code, err.toString().trim());
    }

    private void assertClearError(Run r, String file, String problem, Path out) throws Exception {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().contains(file), "names the file: " + r.err());
        assertTrue(r.err().toLowerCase().contains(problem), "says the problem (" + problem + "): " + r.err());
        assertFalse(Files.exists(out), "no output file");
        if (Files.isDirectory(out.getParent())) {
            try (var s = Files.list(out.getParent())) {
                assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no partial file");
            }
        }
    }

    @Test
    void missingAudio() throws Exception {
        Path out = dir.resolve("o.mp4");
        assertClearError(
                render("samples/astronaut.png", dir.resolve("nope.wav").toString(), out), "nope.wav", "not found", out);
    }

    @Test
    void textFileRenamedWav() throws Exception {
        Path fake = Files.writeString(dir.resolve("notes.wav"), "this is not audio at all\n".repeat(50));
        Path out = dir.resolve("o.mp4");
        assertClearError(render("samples/astronaut.png", fake.toString(), out), "notes.wav", "unreadable audio", out);
    }

    @Test
    void zeroLengthAudio() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        Path out = dir.resolve("o.mp4");
        assertClearError(render("samples/astronaut.png", empty.toString(), out), "empty.wav", "empty", out);
    }

    @Test
    void imageThatIsNotAnImage() throws Exception {
        Path fake = Files.writeString(dir.resolve("face.png"), "hello");
        Path out = dir.resolve("o.mp4");
        assertClearError(render(fake.toString(), "samples/speech.wav", out), "face.png", "not an image", out);
    }

    @Test
    void pictureWithoutFace() throws Exception {
        Path out = dir.resolve("o.mp4");
        Run r = render("src/test/resources/face/no-face.png", "samples/speech.wav", out);
        assertClearError(r, "no-face.png", "no face found in", out);
    }

    @Test
    void missingImage() throws Exception {
        Path out = dir.resolve("o.mp4");
        assertClearError(
                render(dir.resolve("who.jpg").toString(), "samples/speech.wav", out), "who.jpg", "not found", out);
    }

    @Test
    void unwritableOutputFolder() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("readonly"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path out = ro.resolve("o.mp4");
        // root ignores permission bits: then a missing folder stands in for an unwritable one
        boolean root = Files.isWritable(ro);
        Path target = root ? dir.resolve("no/such/folder/o.mp4") : out;
        Run r = render("samples/astronaut.png", "samples/speech.wav", target);
        assertClearError(r, target.getFileName().toString(), root ? "does not exist" : "not writable", target);
        assertEquals(List.of(), List.of(ro.toFile().list()));
    }

    @Test
    void neuralOnlyOptionWithTheBuiltinEngine() {
        var cl = StudioCli.commandLine();
        var err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true));
        Path out = dir.resolve("o.mp4");
        int code = cl.execute(
                "render",
                "-q",
                "-i",
                "samples/astronaut.png",
                "-a",
                "samples/speech.wav",
                "-o",
                out.toString(),
                "--engine",
                "builtin",
                "--input-yaw",
                "10",
                "-10");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("need the sadtalker engine"), err.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void badOptionValue() {
        var cl = StudioCli.commandLine();
        var err = new ByteArrayOutputStream();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("render", "-i", "a.png", "-a", "b.wav", "-o", "c.mp4", "--preprocess", "zoom");
        assertEquals(2, code);
        assertTrue(err.toString().contains("zoom"), err.toString());
    }
}
