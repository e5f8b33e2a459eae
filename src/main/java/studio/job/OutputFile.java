package studio.job;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file a job writes: refused up front when it would destroy something (an input, a link, a
 * device, a pipe, a folder), written under a hidden temporary name beside it and moved into place
 * only when complete, so the real name never holds half a file. The temporary file is created
 * with the process's umask (0644 under umask 022), as any file a user makes, not the 0600 of
 * {@link Files#createTempFile}.
 */
public final class OutputFile implements AutoCloseable {
    /** A temporary file untouched this long belongs to a job that died. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private final Path target;
    private final Path temp;
    private boolean committed;

    private OutputFile(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Checks {@code output} (see {@link #check}) and creates its empty temporary file.
     *
     * @param inputs the job's input files; the output may not be any of them
     */
    public static OutputFile create(Path output, Collection<Path> inputs) {
        Path target = check(output, inputs);
        String name = "." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".part";
        Path temp = target.resolveSibling(name);
        try {
            Files.createFile(temp); // CREATE_NEW: never opens an existing file or follows a planted link
        } catch (FileAlreadyExistsException e) {
            return create(output, inputs); // a name clash with another job's temporary file: draw again
        } catch (IOException e) {
            throw new InputException(output, "cannot write to the output folder (" + DiskSpace.explain(e) + ")");
        }
        removeStale(target, temp);
        return new OutputFile(target, temp);
    }

    /**
     * Deletes what a killed job (SIGKILL, power cut) left of an earlier attempt at the same
     * output: its hidden temporary files that nobody has written to for {@link #STALE_AFTER}
     * (a running job writes every frame). Only regular files owned by this user; links are never
     * followed.
     */
    private static void removeStale(Path target, Path ours) {
        String prefix = "." + target.getFileName();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(target.getParent(), p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".part") && !p.equals(ours);
        })) {
            UserPrincipal me = Files.getOwner(ours, LinkOption.NOFOLLOW_LINKS);
            Instant cutoff = Instant.now().minus(STALE_AFTER);
            for (Path p : s) {
                BasicFileAttributes a = attributes(p);
                if (a != null
                        && a.isRegularFile()
                        && a.lastModifiedTime().toInstant().isBefore(cutoff)
                        && me.equals(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS))) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException ignored) {
            // cleaning up is a courtesy; the job goes on
        }
    }

    /**
     * Fails, naming the file, when {@code output} must not be written: no name, a missing or
     * read-only folder, an existing folder, link, device, pipe or socket, or one of the
     * {@code inputs} (compared as files, so another name or a hard link of an input counts).
     * An existing regular file is replaced, as the user asked. Returns the absolute path.
     */
    public static Path check(Path output, Collection<Path> inputs) {
        if (output == null || output.getFileName() == null) throw new StudioException("no output file given");
        Path target = output.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir))
            throw new InputException(output, "the output folder does not exist");
        if (!Files.isWritable(dir)) throw new InputException(output, "the output folder is not writable");
        BasicFileAttributes a = attributes(target);
        if (a != null) {
            if (a.isDirectory()) throw new InputException(output, "is a folder, expected a file name");
            if (a.isSymbolicLink())
                throw new InputException(output, "is a symbolic link; name the file itself (a link is never replaced)");
            if (!a.isRegularFile())
                throw new InputException(output, "is not a regular file (a device, pipe or socket is never replaced)");
            for (Path in : inputs) {
                if (in != null && sameFile(target, in))
                    throw new InputException(
                            output, "is also an input of this job (" + in + "); choose another output name");
            }
        }
        return target;
    }

    /** The temporary file to write into. */
    public Path temp() {
        return temp;
    }

    /** The final name. */
    public Path target() {
        return target;
    }

    /** Moves the finished temporary file into place (atomically), after checking the target again. */
    public Path commit() {
        BasicFileAttributes a = attributes(target);
        if (a != null && !a.isRegularFile())
            throw new InputException(
                    target,
                    "became a " + (a.isSymbolicLink() ? "symbolic link" : "non-regular file")
                            + " while the job ran; left untouched");
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InputException(target, "could not be moved into place (" + DiskSpace.explain(e) + ")");
        }
        committed = true;
        return target;
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() {
        if (committed) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover is hidden (dot-name, .part) and harmless
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new InputException(p, "cannot be examined (" + e.getMessage() + ")");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return Objects.equals(a, b.toAbsolutePath().normalize());
        }
    }
}
