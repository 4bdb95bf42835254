package coproc.worker.internal;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directory of class data sharing archives that only this user may use: it checks that the
 * directory and each archive are this user's alone (an archive holds code), and keeps the
 * directory tidy — the {@value #MAX_ARCHIVES} most recently used archives, failure markers
 * for a day, abandoned part files for an hour.
 *
 * @param path the directory
 * @param owner this user, as the owner of files this JVM creates
 */
record CdsDirectory(Path path, UserPrincipal owner) {

    static final int MAX_ARCHIVES = 16;
    static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);
    static final Duration PART_ABANDONED_AFTER = Duration.ofHours(1);
    private static final Duration TOUCH_AFTER = Duration.ofHours(1);

    /**
     * Opens a directory, creating it for this user alone if it is missing.
     *
     * @param path the directory
     * @return the directory
     * @throws IOException if it cannot be made, or it or its parent is not this user's alone,
     *     saying which
     */
    static CdsDirectory open(Path path) throws IOException {
        Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        UserPrincipal me;
        Path probe = Files.createTempFile(path, "owner-", ".tmp");
        try {
            me = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
        CdsDirectory directory = new CdsDirectory(path, me);
        if (!directory.trusted(path, true)) {
            throw new IOException(path + " is not this user's alone (owner " + me + ", mode 700 expected)");
        }
        PosixFileAttributes parent = Files.readAttributes(path.getParent(), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!parent.isDirectory() || !parent.owner().equals(me) || parent.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || parent.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(path.getParent() + " may be written by others, who could replace " + path);
        }
        return directory;
    }

    /** The AppCDS archive of a key. */
    Path archive(String key) {
        return archive(key, WorkerJdk.Archive.APP_CDS);
    }

    /** The archive of a key, of a kind. */
    Path archive(String key, WorkerJdk.Archive kind) {
        return path.resolve(key + kind.suffix());
    }

    /** The marker of a failed training run of a key. */
    Path failureMarker(String key) {
        return path.resolve(key + ".failed");
    }

    /**
     * Whether a path is this user's alone: owned by this user, not a link, and writable by
     * nobody else; a directory must also be closed to everybody else, a file must not be empty.
     */
    boolean trusted(Path file, boolean directory) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean othersMayWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        boolean othersMayEnter = permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                || permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
                || permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ);
        return attributes.owner().equals(owner) && !othersMayWrite
                && (directory ? attributes.isDirectory() && !othersMayEnter
                        : attributes.isRegularFile() && attributes.size() > 0);
    }

    /** Marks an archive as used now (coarsely), so that pruning keeps the ones in use. */
    void touch(Path archive, Instant now) {
        try {
            if (Files.getLastModifiedTime(archive).toInstant().isBefore(now.minus(TOUCH_AFTER))) {
                Files.setLastModifiedTime(archive, FileTime.from(now));
            }
        } catch (IOException ignored) {
            // pruning may then take it a little early
        }
    }

    /** Whether a training run of the key failed within the last day. */
    boolean failedRecently(String key, Instant now) {
        try {
            return Files.getLastModifiedTime(failureMarker(key), LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isAfter(now.minus(RETRY_FAILED_AFTER));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes what is no longer wanted: part files of training runs that never finished,
     * stale failure markers, and the least recently used archives beyond the limit (leaving room
     * for the archive about to be trained). A worker
     * that has mapped a removed archive keeps it.
     *
     * @param now the time to judge ages by
     * @return the files removed
     */
    List<Path> prune(Instant now) {
        List<Path> removed = new ArrayList<>();
        Map<Path, FileTime> archives = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                FileTime time = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
                // a training's part file, and the AOT configuration file it writes beside it
                if (name.contains(".part") && time.toInstant().isBefore(now.minus(PART_ABANDONED_AFTER))
                        || name.endsWith(".failed") && time.toInstant().isBefore(now.minus(RETRY_FAILED_AFTER))) {
                    delete(file, removed);
                } else if (name.endsWith(WorkerJdk.Archive.APP_CDS.suffix())
                        || name.endsWith(WorkerJdk.Archive.AOT_CACHE.suffix())) {
                    archives.put(file, time);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return removed; // another host is pruning too
        }
        List<Path> oldestFirst = new ArrayList<>(archives.keySet());
        oldestFirst.sort(Comparator.comparing(archives::get));
        for (int i = 0; i <= oldestFirst.size() - MAX_ARCHIVES; i++) {
            delete(oldestFirst.get(i), removed);
        }
        return removed;
    }

    private static void delete(Path file, List<Path> removed) {
        try {
            if (Files.deleteIfExists(file)) {
                removed.add(file);
            }
        } catch (IOException e) {
            // another host is pruning too
        }
    }
}
