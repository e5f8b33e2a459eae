package studio.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import studio.job.StudioException;

/**
 * Downloads a catalog entry into the checkpoint folder: into {@code <file>.part}, resuming an
 * earlier partial download with an HTTP Range request, then checked (size, digest, that it opens
 * as a checkpoint with the expected keys) and moved into place atomically, so a half-written file
 * never carries the real name.
 */
public final class ModelDownloader {
    /** Bytes done and total (-1 when the server does not say). */
    @FunctionalInterface
    public interface Listener {
        void progress(long done, long total);
    }

    private final HttpClient client;

    public ModelDownloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build());
    }

    public ModelDownloader(HttpClient client) {
        this.client = client;
    }

    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    public Path download(ModelCatalog.Entry entry, Path dir, Listener listener) {
        Path target = dir.resolve(entry.file());
        Path part = partFile(target);
        try {
            Files.createDirectories(dir);
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (entry.size() != null && have > entry.size()) { // not the same file: start again
                Files.delete(part);
                have = 0;
            }
            if (entry.size() == null || have < entry.size()) fetch(entry, part, have, listener);
            String problem = ModelCatalog.check(entry, part);
            if (problem != null) {
                Files.deleteIfExists(part);
                throw new StudioException(entry.url() + ": the downloaded " + entry.file() + " is unusable: " + problem);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new StudioException(entry.url() + ": download of " + entry.file() + " interrupted (" + e.getMessage()
                    + "); run the same command again to resume", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StudioException(entry.url() + ": download of " + entry.file() + " interrupted; run it again to resume", e);
        }
    }

    private void fetch(ModelCatalog.Entry entry, Path part, long have, Listener listener) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(entry.url())).timeout(Duration.ofMinutes(5)).GET();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        int code = resp.statusCode();
        long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean append;
        long total;
        if (code == 206) {
            String range = resp.headers().firstValue("Content-Range").orElse("");
            if (!range.startsWith("bytes " + have + "-")) {
                resp.body().close();
                throw new StudioException(entry.url() + ": the server resumed at the wrong place (" + range + ")");
            }
            append = true;
            int slash = range.lastIndexOf('/');
            total = slash >= 0 && !range.endsWith("*") ? Long.parseLong(range.substring(slash + 1).trim()) : (length < 0 ? -1 : have + length);
        } else if (code == 200) {
            append = false; // the server ignored the range: start over
            have = 0;
            total = length;
        } else if (code == 416 && have > 0) { // nothing left to send: the part file is complete
            resp.body().close();
            return;
        } else {
            resp.body().close();
            throw new StudioException(entry.url() + ": HTTP " + code + " while downloading " + entry.file());
        }
        long done = have;
        try (InputStream in = resp.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            listener.progress(done, total);
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                done += n;
                listener.progress(done, total);
            }
        }
        if (total >= 0 && done != total)
            throw new IOException("connection closed after " + done + " of " + total + " bytes");
    }
}
