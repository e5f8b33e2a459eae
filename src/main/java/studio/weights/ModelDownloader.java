package studio.weights;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static studio.weights.ModelCatalog.printable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import studio.job.InputException;
import studio.job.StudioException;

/**
 * Downloads a catalog entry into the checkpoint folder: into {@code <file>.part}, resuming an
 * earlier partial download with an HTTP Range request, then checked (size, digest, that it opens
 * as a checkpoint with the expected keys) and moved into place atomically, so a half-written file
 * never carries the real name. The server and the folder are not trusted: nothing is written past
 * the expected size, redirects go to http(s) only, links and other users' files are never written
 * through or deleted, and a server that stops sending fails after the read timeout.
 */
public final class ModelDownloader {
    /** Bytes done and total (-1 when neither the catalog nor the server says). */
    @FunctionalInterface
    public interface Listener {
        void progress(long done, long total);
    }

    /** Default for how long the server may send nothing (headers or body) before the download fails. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_REDIRECTS = 5;
    /** A {@code .part} older than this is a killed run's leftover, unless it is the one being downloaded. */
    public static final Duration STALE_PART_AGE = Duration.ofDays(7);

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

    private final Duration readTimeout;
    private final long maxSize;

    public ModelDownloader() {
        this(DEFAULT_READ_TIMEOUT, ModelCatalog.MAX_SIZE);
    }

    /**
     * @param readTimeout fail when the server sends nothing for this long
     * @param maxSize     the most bytes fetched for an entry whose size the catalog does not give
     */
    public ModelDownloader(Duration readTimeout, long maxSize) {
        if (readTimeout.toMillis() < 1 || maxSize < 1)
            throw new IllegalArgumentException("timeout and size cap must be positive");
        this.readTimeout = readTimeout;
        this.maxSize = maxSize;
    }

    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    public Path download(ModelCatalog.Entry entry, Path dir, Listener listener) {
        // Entries built in code have not been through the catalog reader's checks.
        String bad = ModelCatalog.fileNameProblem(entry.file());
        if (bad == null) bad = ModelCatalog.urlProblem(entry.url());
        if (bad != null) throw new InputException("model '" + printable(entry.file()) + "': " + bad);
        Path target = dir.resolve(entry.file());
        Path part = partFile(target);
        long limit = entry.size() != null ? entry.size() : maxSize;
        try {
            Files.createDirectories(dir);
            OwnFiles.requireReplaceable(target);
            long have = resumable(part, limit);
            if (entry.size() == null || have < entry.size()) fetch(entry, part, have, limit, listener);
            String digest = ModelCatalog.sha256(part);
            String problem = ModelCatalog.check(entry, part, digest);
            if (problem != null) {
                OwnFiles.deleteIfOurs(part);
                throw new StudioException(
                        entry.url() + ": the downloaded " + entry.file() + " is unusable: " + problem);
            }
            long size = Files.size(part);
            OwnFiles.moveInto(part, target);
            VerifiedRecord.put(dir, entry.file(), new VerifiedRecord.Seen(size, digest));
            return target;
        } catch (SocketTimeoutException e) {
            throw new StudioException(
                    entry.url() + ": the server sent nothing for " + readTimeout.toSeconds() + " s while downloading "
                            + entry.file() + "; " + AGAIN,
                    e);
        } catch (IOException e) {
            throw new StudioException(
                    entry.url() + ": the download of " + entry.file() + " failed: " + cause(e) + "; " + AGAIN, e);
        }
    }

    /** The advice after an interrupted download, fit for the CLI and the app alike. */
    static final String AGAIN = "downloading it again resumes where it stopped";

    /** Why a connection failed, in words (never "null", never a bare host name or class name). */
    public static String cause(IOException e) {
        String m = e.getMessage() == null ? "" : printable(e.getMessage());
        if (e instanceof UnknownHostException)
            return "no network, or the server name " + (m.isEmpty() ? "" : "'" + m + "' ") + "cannot be found";
        if (e instanceof NoRouteToHostException) return "no network route to the server";
        if (e instanceof ConnectException) return "the server cannot be reached" + (m.isEmpty() ? "" : " (" + m + ")");
        if (e instanceof SSLException) return "the secure connection failed" + (m.isEmpty() ? "" : " (" + m + ")");
        if (e instanceof SocketException) return "the connection broke off" + (m.isEmpty() ? "" : " (" + m + ")");
        if (e instanceof FileSystemException f)
            return "cannot write " + f.getFile() + (f.getReason() == null ? "" : " (" + printable(f.getReason()) + ")");
        return m.isEmpty() ? "the connection broke off" : m;
    }

    /** Bytes already in our own {@code .part}; one that is empty or longer than the file can be is discarded. */
    private static long resumable(Path part, long limit) throws IOException {
        if (!OwnFiles.exists(part)) return 0;
        String why = OwnFiles.whyNotOurs(part);
        if (why != null)
            throw new InputException(part, why + "; refusing to resume into it (remove it if it is yours)");
        long have = Files.size(part);
        if (have == 0 || have > limit) { // not the same file, or an overlong earlier download: start again
            Files.delete(part);
            return 0;
        }
        return have;
    }

    private void fetch(ModelCatalog.Entry entry, Path part, long have, long limit, Listener listener)
            throws IOException {
        HttpURLConnection c = connect(entry, have);
        try {
            int code = c.getResponseCode();
            long length = c.getContentLengthLong();
            long total; // the whole file's size when the catalog or the server says, else -1
            if (code == 206 && have > 0) {
                String header = c.getHeaderField("Content-Range");
                Matcher m = CONTENT_RANGE.matcher(header == null ? "" : header.strip());
                if (!m.matches() || Long.parseLong(m.group(1)) != have || Long.parseLong(m.group(2)) < have) {
                    OwnFiles.deleteIfOurs(part); // this server cannot resume it: the next run starts over
                    throw new StudioException(entry.url() + ": the server resumed " + entry.file()
                            + " with a bad Content-Range '" + printable(header) + "' (expected 'bytes " + have
                            + "-...'); downloading it again starts over");
                }
                total = !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : length >= 0 ? have + length : -1;
            } else if (code == 200) {
                if (have > 0) { // the server ignored the range: start over
                    Files.delete(part);
                    have = 0;
                }
                total = length;
            } else if (code == 416 && have > 0) { // nothing left to send: the part file is complete (checked next)
                return;
            } else {
                throw new StudioException(entry.url() + ": HTTP " + code + " while downloading " + entry.file());
            }
            if (total > limit) throw tooMuch(entry, limit, limit); // announced: no need to fetch it first
            if (entry.size() != null) total = entry.size(); // the catalog's size is the one checked
            long cap = total >= 0 ? Math.min(limit, total) : limit;
            OpenOption[] mode = have > 0
                    ? new OpenOption[] {WRITE, APPEND, NOFOLLOW_LINKS}
                    : new OpenOption[] {CREATE_NEW, WRITE, NOFOLLOW_LINKS};
            long done = have;
            boolean tooMuch = false;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(part, mode)) {
                byte[] buf = new byte[1 << 16];
                listener.progress(done, total);
                while (true) {
                    int want = (int) Math.min(buf.length, cap - done);
                    if (want == 0) { // all we take: anything more is a different or a hostile file
                        tooMuch = in.read() >= 0;
                        break;
                    }
                    int n = in.read(buf, 0, want);
                    if (n < 0) break;
                    out.write(buf, 0, n);
                    done += n;
                    if (done < cap) listener.progress(done, total);
                }
            }
            if (!tooMuch) listener.progress(done, total); // 100% only once the body is known to end there
            if (tooMuch) {
                OwnFiles.deleteIfOurs(part);
                throw tooMuch(entry, limit, cap);
            }
            if (total >= 0 && done != total)
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
        } finally {
            c.disconnect();
        }
    }

    private static StudioException tooMuch(ModelCatalog.Entry entry, long limit, long cap) {
        String what = entry.size() != null
                ? "the catalog's " + entry.size() + " bytes"
                : cap < limit
                        ? "the " + cap + " bytes it announced"
                        : "the " + limit + "-byte maximum (the catalog gives no size)";
        return new StudioException(
                entry.url() + ": the server sent more than " + what + " for " + entry.file() + "; nothing kept");
    }

    /** Opens the entry's address, following up to {@value #MAX_REDIRECTS} redirects, to http(s) only. */
    private HttpURLConnection connect(ModelCatalog.Entry entry, long have) throws IOException {
        URI uri = URI.create(entry.url());
        for (int hop = 0; ; hop++) {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setInstanceFollowRedirects(false); // followed below, where the target is checked
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
            c.setRequestProperty("Accept-Encoding", "identity"); // byte ranges and sizes of the file itself
            if (have > 0) c.setRequestProperty("Range", "bytes=" + have + "-");
            try {
                c.connect();
            } catch (SocketTimeoutException e) { // not the read timeout the caller reports
                throw new IOException("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
            }
            int code = c.getResponseCode();
            if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) return c;
            String location = c.getHeaderField("Location");
            c.disconnect();
            if (hop >= MAX_REDIRECTS)
                throw new StudioException(
                        entry.url() + ": more than " + MAX_REDIRECTS + " redirects while downloading " + entry.file());
            if (location == null)
                throw new StudioException(
                        entry.url() + ": HTTP " + code + " without a Location while downloading " + entry.file());
            URI next;
            String problem;
            try {
                next = uri.resolve(new URI(location.strip()));
                problem = ModelCatalog.urlProblem(next.toString());
                // Without published digests, TLS is what vouches for the file: never give it up midway.
                if (problem == null
                        && "https".equalsIgnoreCase(uri.getScheme())
                        && !"https".equalsIgnoreCase(next.getScheme())) problem = "plain http after https";
            } catch (URISyntaxException | IllegalArgumentException e) {
                next = null;
                problem = "a malformed address";
            }
            if (problem != null)
                throw new StudioException(entry.url() + ": redirected to '" + printable(location) + "' (" + problem
                        + "); not following it for " + entry.file());
            uri = next;
        }
    }

    /**
     * Removes leftovers of killed runs: a {@code .part} in {@code dir} that belongs to no catalog
     * entry, or is older than {@link #STALE_PART_AGE} and not one of {@code keep} (those about to be
     * resumed). Only our own regular files go; links and other users' files stay. Best effort: a
     * folder that cannot be listed is left as it is. Returns what was removed.
     */
    public static List<Path> removeStaleParts(Path dir, Collection<String> catalogFiles, Collection<String> keep) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) return removed;
        Instant old = Instant.now().minus(STALE_PART_AGE);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*.part")) {
            for (Path p : parts) {
                String name = p.getFileName().toString();
                String file = name.substring(0, name.length() - ".part".length());
                boolean stale = !catalogFiles.contains(file)
                        || !keep.contains(file)
                                && Files.getLastModifiedTime(p, NOFOLLOW_LINKS)
                                        .toInstant()
                                        .isBefore(old);
                if (stale && OwnFiles.deleteIfOurs(p)) removed.add(p);
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up is a courtesy: it never stops a download
        }
        return removed;
    }
}
