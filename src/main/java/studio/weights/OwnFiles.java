package studio.weights;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.ThreadLocalRandom;
import studio.job.InputException;

/**
 * File operations in the checkpoint folder that never follow a link and never touch a file that is
 * not ours: someone else may have planted a link or a file there under a name the downloader uses.
 */
final class OwnFiles {
    private static UserPrincipal me;

    private OwnFiles() {}

    /**
     * Null when {@code p} is a regular file owned by this process's user with no other hard link
     * (so writing or deleting it touches nothing else), else why not.
     */
    static String whyNotOurs(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) return "is a symbolic link";
        if (!a.isRegularFile()) return "is not a regular file";
        // Owners and link counts only mean something on POSIX file systems; elsewhere the type check is all there is.
        if (Files.getFileStore(p).supportsFileAttributeView("unix")) {
            if (!Files.getOwner(p, NOFOLLOW_LINKS).equals(me())) return "belongs to another user";
            if (((Number) Files.getAttribute(p, "unix:nlink", NOFOLLOW_LINKS)).intValue() > 1)
                return "has other hard links";
        }
        return null;
    }

    /**
     * The owner of a file this process creates: right even where the user has no name in the user
     * database (containers); by name when the temp folder cannot be written.
     */
    private static synchronized UserPrincipal me() throws IOException {
        if (me == null) {
            try {
                Path probe = Files.createTempFile("studio-owner", ".tmp");
                try {
                    me = Files.getOwner(probe);
                } finally {
                    Files.deleteIfExists(probe);
                }
            } catch (IOException e) {
                me = FileSystems.getDefault()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
            }
        }
        return me;
    }

    static boolean exists(Path p) {
        return Files.exists(p, NOFOLLOW_LINKS);
    }

    /** Deletes {@code p} when it is ours; returns whether it is gone. A link or another's file is left alone. */
    static boolean deleteIfOurs(Path p) throws IOException {
        if (!exists(p)) return true;
        if (whyNotOurs(p) != null) return false;
        Files.deleteIfExists(p);
        return true;
    }

    /** Fails when {@code target} exists as anything but a regular file (a link, a folder, a device). */
    static void requireReplaceable(Path target) throws IOException {
        if (exists(target)
                && !Files.readAttributes(target, BasicFileAttributes.class, NOFOLLOW_LINKS)
                        .isRegularFile())
            throw new InputException(
                    target, "exists and is not a regular file (a link or special file); refusing to replace it");
    }

    /** Moves our finished {@code from} onto {@code target} in one step (a rename: never writes through a link). */
    static void moveInto(Path from, Path target) throws IOException {
        requireReplaceable(target);
        Files.move(from, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes {@code target} whole or not at all: a new temp file beside it (permissions per umask,
     * unlike {@code Files.createTempFile}'s 0600), then a move.
     */
    static void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW_LINKS);
            moveInto(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
