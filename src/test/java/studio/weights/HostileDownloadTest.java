package studio.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.cli.StudioCli;
import studio.job.StudioException;

/**
 * {@code studio models download} against a hostile catalog, folder and server (a loopback HTTP
 * server in the test): every failure is one line on stderr with exit code 2, and nothing is written
 * outside the checkpoint folder or through a link.
 */
class HostileDownloadTest {
    static final String NAME = "m.safetensors";

    @TempDir
    Path tmp;

    Path dir, outside, catalog, victim;
    byte[] payload;
    HttpServer server;
    ExecutorService pool;
    String base;
    final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final List<String> ranges = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    String out = "", err = "";

    @BeforeEach
    void start() throws IOException {
        dir = Files.createDirectories(tmp.resolve("ckpt"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        victim = Files.writeString(outside.resolve("victim.txt"), "precious\n");
        catalog = tmp.resolve("catalog.json");
        float[] v = new float[256];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Path src = tmp.resolve("src").resolve(NAME);
        new SafeTensorsWriter().put("net.weight", v, v.length).write(src);
        payload = Files.readAllBytes(src);
        Files.delete(src);
        Files.delete(src.getParent());

        pool = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "none" : range);
            HttpHandler h = routes.get(ex.getRequestURI().getPath());
            if (h == null) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
            } else h.handle(ex);
        });
        routes.put("/file", ex -> serve(ex, payload, true));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown(); // lets stalled handlers finish
        server.stop(0);
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Sends {@code body}, from the requested offset when {@code honourRange}. */
    static void serve(HttpExchange ex, byte[] body, boolean honourRange) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = honourRange && range != null && range.matches("bytes=\\d+-")
                ? Integer.parseInt(range.substring(6, range.length() - 1))
                : 0;
        try (ex) {
            if (from > 0) {
                ex.getResponseHeaders()
                        .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body, from, body.length - from);
        } catch (IOException ignored) {
            // the client hung up: expected when it refuses the rest
        }
    }

    static JsonObject entry(String file, String url, Long size) {
        JsonObject m = new JsonObject();
        m.addProperty("file", file);
        m.addProperty("url", url);
        m.addProperty("size", size);
        m.addProperty("required", true);
        JsonArray expect = new JsonArray();
        expect.add("net.");
        m.add("expect", expect);
        return m;
    }

    static void writeCatalog(Path where, JsonObject... entries) throws IOException {
        JsonArray models = new JsonArray();
        for (JsonObject e : entries) models.add(e);
        JsonObject root = new JsonObject();
        root.add("models", models);
        Files.writeString(where, root.toString());
    }

    void catalogOf(String file, String url, Long size) throws IOException {
        writeCatalog(catalog, entry(file, url, size));
    }

    int cli(String... args) {
        var cl = StudioCli.commandLine();
        StringWriter o = new StringWriter(), e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    int download(String... args) {
        List<String> all = new ArrayList<>(
                List.of("models", "--dir", dir.toString(), "--catalog", catalog.toString(), "download"));
        all.addAll(List.of(args));
        return cli(all.toArray(String[]::new));
    }

    /** Exit code 2 and exactly one line on stderr, saying each of {@code words}. */
    void assertOneLineError(int code, String... words) {
        assertEquals(2, code, "stdout: " + out + "\nstderr: " + err);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one line, no stack trace:\n" + err);
        assertTrue(lines.get(0).startsWith("error: "), err);
        for (String w : words) assertTrue(lines.get(0).contains(w), "says '" + w + "': " + err);
    }

    /** Every path under {@code root} with its content, to show nothing changed. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList())
                m.put(
                        root.relativize(p).toString(),
                        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? ModelCatalog.sha256(p) : "other");
        }
        return m;
    }

    static long largestFile(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .max()
                    .orElse(0);
        }
    }

    @Test
    @Timeout(30)
    void traversalAndOddFileNamesAreRejectedAndNothingIsWritten() throws IOException {
        Map<String, String> before = outsideTheCatalog();
        for (String bad : List.of(
                "../x.safetensors",
                "../../x.safetensors",
                outside.resolve("abs.safetensors").toString(),
                "sub/x.safetensors",
                "..",
                ".hidden",
                "a\\b",
                "C:x",
                "nul\u0000x",
                "line\nbreak",
                "x".repeat(300),
                "m.safetensors.part",
                "checkpoints-verified.json")) {
            catalogOf(bad, base + "/file", null);
            assertOneLineError(download(), catalog.toString(), "entry 1", "file name");
            assertEquals(before, outsideTheCatalog(), "nothing written for " + bad);
        }
        assertEquals(0, requests.get(), "nothing fetched");
        assertEquals("precious\n", Files.readString(victim));
    }

    /** Everything in the temp folder (the checkpoint folder, its parent, a folder beside it) but the catalog itself. */
    private Map<String, String> outsideTheCatalog() throws IOException {
        Map<String, String> m = snapshot(tmp);
        m.remove("catalog.json");
        return m;
    }

    @Test
    @Timeout(30)
    void malformedOrNonHttpUrlsAndBadSizesAreOneLine() throws IOException {
        for (String url : List.of(
                "file:///etc/passwd",
                "ftp://127.0.0.1/x",
                "http:///no-host",
                "http://exa mple.com/x",
                "not a url",
                "//127.0.0.1/x",
                "jar:http://127.0.0.1/x!/y")) {
            catalogOf(NAME, url, null);
            assertOneLineError(download(), catalog.toString(), "entry 1 ('" + NAME + "')", "url");
        }
        for (long size : new long[] {0, -5, ModelCatalog.MAX_SIZE + 1}) {
            catalogOf(NAME, base + "/file", size);
            assertOneLineError(download(), catalog.toString(), "size " + size);
        }
        Files.writeString(catalog, "{\"models\": [{\"file\": 3, \"url\": []}]}");
        assertOneLineError(download(), catalog.toString(), "malformed");
        assertEquals(0, requests.get());
        // Entries built in code get the same checks before anything is fetched.
        var e = new ModelCatalog.Entry(NAME, "file:///etc/passwd", null, null, null, true, List.of(), "");
        StudioException ex =
                assertThrows(StudioException.class, () -> new ModelDownloader().download(e, dir, (d, t) -> {}));
        assertTrue(ex.getMessage().contains("not an http(s) address"), ex.getMessage());
    }

    @Test
    @Timeout(30)
    void catalogInTheCheckpointFolderIsReadOnlyWhenNamed() throws IOException {
        writeCatalog(dir.resolve("catalog.json"), entry("evil.safetensors", base + "/file", null));
        assertOneLineError(
                cli("models", "--dir", dir.toString(), "download", "evil.safetensors"),
                "unknown model 'evil.safetensors'",
                ModelCatalog.bundled().toString());
        assertEquals(0, cli("models", "--dir", dir.toString(), "list"), err);
        assertFalse(out.contains("evil"), out);
        assertTrue(out.contains("SadTalker_V0.0.2_256.safetensors"), "the bundled catalog: " + out);
        assertEquals(0, requests.get(), "nothing fetched from the folder's catalog");

        assertEquals(
                0,
                cli(
                        "models",
                        "--dir",
                        dir.toString(),
                        "--catalog",
                        dir.resolve("catalog.json").toString(),
                        "download",
                        "evil.safetensors"),
                err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve("evil.safetensors")), "named explicitly, it is used");
    }

    @Test
    @Timeout(30)
    void linksAndHardLinksInTheFolderAreNeverWrittenThrough() throws IOException {
        catalogOf(NAME, base + "/file", (long) payload.length);
        Path part = dir.resolve(NAME + ".part");
        Files.createSymbolicLink(part, victim);
        assertOneLineError(download(), part.toString(), "symbolic link", "refusing");
        assertEquals("precious\n", Files.readString(victim), "target unchanged");
        assertTrue(Files.isSymbolicLink(part), "the link is not ours to delete");
        Files.delete(part);

        Path dangling = outside.resolve("created-by-nobody");
        Files.createSymbolicLink(part, dangling);
        assertOneLineError(download(), part.toString(), "symbolic link");
        assertFalse(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS), "nothing created through a dangling link");
        Files.delete(part);

        Files.createLink(part, victim);
        assertOneLineError(download(), part.toString(), "hard links");
        assertEquals("precious\n", Files.readString(victim));
        Files.delete(part);

        Path target = dir.resolve(NAME);
        Files.createSymbolicLink(target, victim);
        assertOneLineError(download(), target.toString(), "not a regular file");
        assertEquals("precious\n", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(target));
        assertEquals(0, requests.get(), "refused before fetching");
    }

    @Test
    @Timeout(30)
    void stalledServerFailsWithinTheReadTimeout() throws IOException {
        routes.put("/stall-body", ex -> {
            ex.sendResponseHeaders(200, payload.length);
            ex.getResponseBody().write(payload, 0, 100);
            ex.getResponseBody().flush();
            awaitRelease();
        });
        routes.put("/stall-headers", ex -> awaitRelease());
        for (String path : List.of("/stall-body", "/stall-headers")) {
            catalogOf(NAME, base + path, (long) payload.length);
            long t0 = System.nanoTime();
            assertOneLineError(download("--read-timeout", "1"), base + path, NAME, "sent nothing for 1 s");
            assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "gave up after about a second");
            assertFalse(Files.exists(dir.resolve(NAME)));
        }
    }

    private void awaitRelease() {
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Timeout(30)
    void bodyLongerThanTheCatalogSizeStopsThere() throws IOException {
        byte[] huge = Arrays.copyOf(payload, payload.length + (4 << 20));
        routes.put("/huge", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, 0); // chunked: no length to go by
                ex.getResponseBody().write(huge);
            } catch (IOException ignored) {
                // the client stops reading
            }
        });
        catalogOf(NAME, base + "/huge", (long) payload.length);
        assertOneLineError(download(), base + "/huge", "sent more than the catalog's " + payload.length + " bytes");
        assertTrue(largestFile(dir) <= payload.length, "never written past the size");
        assertFalse(Files.exists(dir.resolve(NAME + ".part")) || Files.exists(dir.resolve(NAME)));

        // No size in the catalog: the downloader's cap (8 GiB by default; small here).
        var e = new ModelCatalog.Entry(NAME, base + "/huge", null, null, null, true, List.of("net."), "");
        StudioException ex = assertThrows(
                StudioException.class,
                () -> new ModelDownloader(Duration.ofSeconds(5), 4096).download(e, dir, (d, t) -> {}));
        assertTrue(
                ex.getMessage().contains("more than the 4096-byte maximum")
                        && !ex.getMessage().contains("\n"),
                ex.getMessage());
        assertTrue(largestFile(dir) <= payload.length);

        routes.put("/announced", ex2 -> serve(ex2, huge, false)); // says its length up front: refused before any byte
        var announced = new ModelCatalog.Entry(NAME, base + "/announced", null, null, null, true, List.of("net."), "");
        ex = assertThrows(
                StudioException.class,
                () -> new ModelDownloader(Duration.ofSeconds(5), 4096).download(announced, dir, (d, t) -> {}));
        assertTrue(ex.getMessage().contains("more than the 4096-byte maximum"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve(NAME + ".part")));
    }

    @Test
    @Timeout(30)
    void serverSendingMoreThanTheRangeNeverBlocksARetry() throws IOException {
        catalogOf(NAME, base + "/whole", (long) payload.length);
        Path part = dir.resolve(NAME + ".part");
        // Claims to resume, then sends the whole file.
        routes.put("/whole", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            try (ex) {
                if (range != null) {
                    int from = Integer.parseInt(range.substring(6, range.length() - 1));
                    ex.getResponseHeaders()
                            .add("Content-Range", "bytes " + from + "-" + (payload.length - 1) + "/" + payload.length);
                    ex.sendResponseHeaders(206, payload.length);
                } else ex.sendResponseHeaders(200, payload.length);
                ex.getResponseBody().write(payload);
            } catch (IOException ignored) {
                // the client stops reading
            }
        });
        Files.write(part, Arrays.copyOf(payload, payload.length / 2));
        assertOneLineError(download(), "sent more than");
        assertTrue(largestFile(dir) <= payload.length);
        assertEquals(0, download(), err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)), "the next run starts over and succeeds");

        // A part longer than the file (an older overlong download) is discarded, not an error.
        Files.delete(dir.resolve(NAME));
        Files.write(part, Arrays.copyOf(payload, payload.length + 500));
        catalogOf(NAME, base + "/file", (long) payload.length);
        assertEquals(0, download(), err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)));

        // A server that ignores the range: started over in the same run.
        Files.delete(dir.resolve(NAME));
        routes.put("/norange", ex -> serve(ex, payload, false));
        catalogOf(NAME, base + "/norange", (long) payload.length);
        Files.write(part, Arrays.copyOf(payload, 100));
        assertEquals(0, download(), err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)));
        assertFalse(Files.exists(part));
    }

    @Test
    @Timeout(30)
    void badContentRangeIsOneLineAndTheNextRunStartsOver() throws IOException {
        String[] header = {null};
        routes.put("/badrange", ex -> {
            if (ex.getRequestHeaders().getFirst("Range") == null) {
                serve(ex, payload, false);
                return;
            }
            try (ex) {
                if (header[0] != null) ex.getResponseHeaders().add("Content-Range", header[0]);
                ex.sendResponseHeaders(206, payload.length - 100);
                ex.getResponseBody().write(payload, 100, payload.length - 100);
            } catch (IOException ignored) {
                // the client refuses it
            }
        });
        catalogOf(NAME, base + "/badrange", (long) payload.length);
        Path part = dir.resolve(NAME + ".part");
        for (String h : Arrays.asList(
                "garbage",
                "bytes 100-10/99999999999999999999999999",
                "bytes */" + payload.length,
                "bytes 0-5/" + payload.length,
                "bytes 100-x/y",
                null)) {
            header[0] = h;
            Files.write(part, Arrays.copyOf(payload, 100));
            assertOneLineError(download(), base + "/badrange", "bad Content-Range", NAME);
            assertFalse(Files.exists(part), "discarded: the next run starts over");
        }
        assertEquals(0, download(), err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)));
    }

    @Test
    @Timeout(30)
    void redirectsGoToHttpOnlyAndAreBounded() throws IOException {
        routes.put("/to-file", ex -> redirect(ex, "file:///etc/passwd"));
        routes.put("/to-jar", ex -> redirect(ex, "jar:file:///x.jar!/y"));
        routes.put("/to-malformed", ex -> redirect(ex, "http://[::1"));
        routes.put("/loop", ex -> redirect(ex, "/loop"));
        routes.put("/good", ex -> redirect(ex, "/file"));
        for (String[] c : new String[][] {
            {"/to-file", "file:///etc/passwd"},
            {"/to-jar", "not an http(s) address"},
            {"/to-malformed", "malformed"},
            {"/loop", "more than 5 redirects"}
        }) {
            catalogOf(NAME, base + c[0], (long) payload.length);
            assertOneLineError(download(), base + c[0], c[1], NAME);
            assertFalse(Files.exists(dir.resolve(NAME)));
        }
        catalogOf(NAME, base + "/good", (long) payload.length);
        assertEquals(0, download(), err);
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)));
        assertTrue(requests.get() <= 3 + 6 + 2, "the loop stopped: " + requests.get());
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    @Test
    @Timeout(30)
    void sizeAndDigestRecordedAtTheFirstDownloadCatchAChangedFile() throws IOException {
        catalogOf(NAME, base + "/file", null); // like the shipped catalog: no size, no digest
        assertEquals(0, download(), err);
        Path file = dir.resolve(NAME), record = dir.resolve("checkpoints-verified.json");
        assertTrue(Files.readString(record).contains(ModelCatalog.sha256(file)), Files.readString(record));
        Path probe = Files.createFile(tmp.resolve("umask-probe"));
        var normal = Files.getPosixFilePermissions(probe);
        assertEquals(normal, Files.getPosixFilePermissions(file), "permissions per umask, not 0600");
        assertEquals(normal, Files.getPosixFilePermissions(record));
        try (var s = Files.list(dir)) {
            assertEquals(
                    List.of("checkpoints-verified.json", NAME),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<String> verify = List.of("models", "--dir", dir.toString(), "--catalog", catalog.toString(), "verify");
        assertEquals(0, cli(verify.toArray(String[]::new)), out + err);

        byte[] changed = payload.clone();
        changed[changed.length - 1] ^= 1; // one tensor value: still a valid checkpoint
        Files.write(file, changed);
        assertEquals(0, cli("models", "--dir", dir.toString(), "--catalog", catalog.toString(), "list"));
        assertOneLineError(
                cli(verify.toArray(String[]::new)), dir.toAbsolutePath().toString());
        assertTrue(out.contains("SHA-256 differs from the one recorded at its first download"), out);

        Files.write(file, Arrays.copyOf(payload, payload.length + 8));
        cli(verify.toArray(String[]::new));
        assertTrue(out.contains("differs from the size " + payload.length + " recorded at its first download"), out);

        assertEquals(0, download(), err);
        assertFalse(out.contains("already present"), "a changed file is not reused: " + out);
        assertArrayEquals(payload, Files.readAllBytes(file));
        assertEquals(0, cli(verify.toArray(String[]::new)), out + err);
    }

    @Test
    @Timeout(30)
    void stalePartFilesAreCleanedOthersKept() throws IOException {
        writeCatalog(
                catalog,
                entry(NAME, base + "/file", (long) payload.length),
                entry("b.safetensors", base + "/file", null),
                entry("c.safetensors", base + "/file", null));
        FileTime eightDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(8)));
        Path orphan = Files.writeString(dir.resolve("gone-from-catalog.bin.part"), "x");
        Path oldB = Files.writeString(dir.resolve("b.safetensors.part"), "x");
        Files.setLastModifiedTime(oldB, eightDaysAgo);
        Path recentC = Files.writeString(dir.resolve("c.safetensors.part"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.part"), victim);
        Path mine = dir.resolve(NAME + ".part");
        Files.write(mine, Arrays.copyOf(payload, 100));
        Files.setLastModifiedTime(mine, eightDaysAgo); // old, but the one being downloaded: resumed

        assertEquals(0, download(NAME), err);
        assertEquals("bytes=100-", ranges.get(ranges.size() - 1), "resumed");
        assertArrayEquals(payload, Files.readAllBytes(dir.resolve(NAME)));
        assertFalse(Files.exists(orphan), "belongs to no entry");
        assertFalse(Files.exists(oldB), "older than 7 days");
        assertTrue(Files.exists(recentC), "recent: may still be resumed");
        assertTrue(Files.isSymbolicLink(link), "links are not ours to delete");
        assertEquals("precious\n", Files.readString(victim));
    }
}
