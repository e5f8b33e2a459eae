package studio.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.weights.ModelCatalog;

/** models list|verify|download against a local HTTP server on the loopback address (never a real URL). */
class ModelsCommandTest {
    static final Path FIXTURE = Path.of("src/test/resources/weights/tiny_zip.pth.tar");

    @TempDir
    Path tmp;

    Path dir, catalog;
    HttpServer server;
    byte[] payload;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final AtomicInteger flakyCalls = new AtomicInteger();
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        payload = Files.readAllBytes(FIXTURE);
        dir = tmp.resolve("checkpoints");
        catalog = tmp.resolve("test-catalog.json"); // named with --catalog: one in the folder is never read
        Files.createDirectories(dir);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/", ex -> serve(ex, payload, false));
        // The first request dies halfway; later ones are served (with Range support).
        server.createContext("/flaky/", ex -> serve(ex, payload, flakyCalls.getAndIncrement() == 0));
        server.createContext(
                "/text/", ex -> serve(ex, "<html>not a checkpoint</html>".getBytes(StandardCharsets.UTF_8), false));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Files.writeString(catalog, """
                {"models": [
                  {"file": "tiny.pth.tar", "url": "%1$s/files/tiny.pth.tar", "size": %2$d, "sha256": null,
                   "required": true, "expect": ["params_ema.", "mapping."], "enables": "tests"},
                  {"file": "flaky.pth.tar", "url": "%1$s/flaky/tiny.pth.tar", "size": %2$d,
                   "required": false, "expect": ["params_ema."], "enables": "resume test"},
                  {"file": "page.pth", "url": "%1$s/text/page", "size": null,
                   "required": false, "expect": [""], "enables": "wrong content"},
                  {"file": "gone.pth", "url": "%1$s/nothing/here", "size": null,
                   "required": false, "expect": [""], "enables": "404"}
                ]}""".formatted(base, payload.length));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex, byte[] body, boolean dieHalfway) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "none" : range);
        int from = 0;
        if (range != null && range.startsWith("bytes="))
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
        if (from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            if (dieHalfway) {
                os.write(body, 0, body.length / 2);
                os.flush();
                ex.close(); // connection dropped before Content-Length bytes
                return;
            }
            os.write(body, from, body.length - from);
        } catch (IOException ignored) {
            // client went away
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        String[] full = new String[args.length + 4]; // the parent's options, then the subcommand
        full[0] = "--dir";
        full[1] = dir.toString();
        full[2] = "--catalog";
        full[3] = catalog.toString();
        System.arraycopy(args, 0, full, 4, args.length);
        return ModelsCommand.execute(new PrintStream(out, true), new PrintStream(err, true), full);
    }

    @Test
    void downloadsRequiredModelsAtomicallyWithProgress() throws IOException {
        assertEquals(0, run("download"));
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve("tiny.pth.tar")));
        assertFalse(Files.exists(dir.resolve("tiny.pth.tar.part")));
        assertFalse(Files.exists(dir.resolve("flaky.pth.tar")), "optional models are not fetched by default");
        assertTrue(err.toString().contains("100%"), err.toString());
        assertEquals(0, run("download"));
        assertTrue(out.toString().contains("tiny.pth.tar: already present"), out.toString());
        assertEquals(List.of("none"), ranges);
    }

    @Test
    void interruptedDownloadResumesWithRange() throws IOException {
        assertEquals(2, run("download", "flaky.pth.tar"));
        assertTrue(err.toString().contains("flaky.pth.tar") && err.toString().contains("resume"), err.toString());
        assertFalse(Files.exists(dir.resolve("flaky.pth.tar")), "no half file under the real name");
        long partial = Files.size(dir.resolve("flaky.pth.tar.part"));
        assertTrue(partial > 0 && partial < payload.length);
        assertEquals(0, run("list"));
        assertTrue(out.toString().matches("(?s).*flaky\\.pth\\.tar\\s+partial.*"), out.toString());

        assertEquals(0, run("download", "flaky.pth.tar"));
        assertEquals("bytes=" + partial + "-", ranges.get(ranges.size() - 1));
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve("flaky.pth.tar")));
        assertFalse(Files.exists(dir.resolve("flaky.pth.tar.part")));
    }

    @Test
    void wrongContentAndHttpErrorsFailNamingTheFile() {
        assertEquals(2, run("download", "page.pth"));
        assertTrue(err.toString().contains("page.pth") && err.toString().contains("unusable"), err.toString());
        assertFalse(Files.exists(dir.resolve("page.pth")));
        assertFalse(Files.exists(dir.resolve("page.pth.part")));

        assertEquals(2, run("download", "gone.pth"));
        assertTrue(err.toString().contains("HTTP 404") && err.toString().contains("gone.pth"), err.toString());

        assertEquals(2, run("download", "nonsense.bin"));
        assertTrue(err.toString().contains("unknown model 'nonsense.bin'"), err.toString());
    }

    @Test
    void listAndVerifyReportStatus() throws IOException {
        assertEquals(0, run("list"));
        assertTrue(out.toString().matches("(?s).*tiny\\.pth\\.tar\\s+missing\\s+required.*"), out.toString());
        assertEquals(2, run("verify"));
        assertTrue(
                out.toString().contains("tiny.pth.tar") && out.toString().contains("FAILED: missing"), out.toString());

        Files.copy(FIXTURE, dir.resolve("tiny.pth.tar"));
        assertEquals(0, run("verify"));
        assertTrue(out.toString().contains("OK"), out.toString());

        byte[] cut = Arrays.copyOf(payload, payload.length - 10);
        Files.write(dir.resolve("tiny.pth.tar"), cut);
        assertEquals(2, run("verify", "tiny.pth.tar"));
        assertTrue(
                out.toString().contains("size " + cut.length + " bytes, expected " + payload.length), out.toString());
    }

    @Test
    void shippedCatalogListsTheOfficialFiles() {
        var c = ModelCatalog.read(Path.of("checkpoints/catalog.json"));
        for (String f : List.of(
                "SadTalker_V0.0.2_256.safetensors",
                "SadTalker_V0.0.2_512.safetensors",
                "mapping_00109-model.pth.tar",
                "mapping_00229-model.pth.tar",
                "GFPGANv1.4.pth",
                "detection_Resnet50_Final.pth",
                "parsing_parsenet.pth",
                "alignment_WFLW_4HG.pth")) assertTrue(c.find(f).url().startsWith("https://github.com/"), f);
    }
}
