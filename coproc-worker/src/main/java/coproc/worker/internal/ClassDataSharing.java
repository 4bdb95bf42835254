package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.messenger.MessengerKind;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Application class data sharing for worker JVMs: a worker JVM maps the classes it needs at
 * start (the JDK's, Kryo's, coproc's) from an archive instead of loading, verifying and
 * linking them from jars, which saves it tens of milliseconds, a fifth of its start.
 *
 * <p>The archive is a dynamic CDS archive made by a <em>training run</em>: the first time
 * this host starts a worker with a command line that has no archive yet, it also starts, in
 * the background and at low priority, a JVM with the same command line and
 * {@code -XX:ArchiveClassesAtExit} that rehearses a worker's start (a {@code thread} worker in
 * that JVM) and exits; a shell wrapper then renames the archive into place, so that a worker
 * only ever sees a complete one, even if this host has exited in the meantime. Workers
 * started after that use it. Nothing else changes: the worker JVM is the same, and if it
 * cannot use the archive (a stale or foreign one) it loads its classes as usual, silently.
 *
 * <p>An archive is keyed on everything that decides whether it fits: the {@code java}, the
 * JDK build, the command line (system properties aside) and the name, size and modification
 * time of every jar on the module path and class path; a rebuilt jar gives a new key, so a
 * new archive. Archives live in {@code $XDG_CACHE_HOME/coproc/cds} (by default
 * {@code ~/.cache/coproc/cds}), a directory that only this user may enter, and are used only
 * if this user owns them and nobody else can write them: an archive holds code. The 16 most
 * recently used are kept. A training run that fails leaves a marker that stops retries of
 * that key for a day; a host starts at most 8 training runs. A training run takes well under
 * a second of (low-priority) CPU; it may end after its host has, and halts itself after a
 * minute at most.
 *
 * <p>Sharing is skipped, silently, where it cannot work or is not wanted: with
 * {@code -Dcoproc.worker.cds=false} on the host, on a JVM that does not use class data
 * sharing itself, on file systems without POSIX permissions, when a directory of classes is
 * on a path (CDS takes only jars), when the module options disable CDS
 * ({@code --patch-module}, {@code --upgrade-module-path}, {@code --limit-modules}), and when
 * the JVM options, or the {@code JAVA_TOOL_OPTIONS}-style variables, configure sharing
 * themselves.
 */
final class ClassDataSharing {

    /** In the environment of a training run: the JVM rehearses a start instead of running a worker. */
    static final String TRAINING = "COPROC_CDS_TRAINING";

    /** The host's system property that turns sharing off when {@code false}. */
    static final String ENABLED_PROPERTY = "coproc.worker.cds";

    private static final int MAX_ARCHIVES = 16;
    private static final Duration RETRY_FAILED_AFTER = Duration.ofDays(1);
    private static final Duration PART_ABANDONED_AFTER = Duration.ofHours(1);
    private static final Duration TOUCH_AFTER = Duration.ofHours(1);
    /** How long a training run may take before it halts itself, leaving no archive. */
    static final long TRAINING_LIMIT_MILLIS = 60_000;

    /** JVM options of a worker or training run that configure sharing themselves. */
    private static final List<String> SHARING_OPTIONS = List.of("-Xshare", "-XX:SharedArchiveFile",
            "-XX:ArchiveClassesAtExit", "-XX:+UseSharedSpaces", "-XX:-UseSharedSpaces", "-XX:SharedClassListFile",
            "-XX:DumpLoadedClassList", "-XX:+AutoCreateSharedArchive", "-XX:+RecordDynamicDumpInfo",
            "-XX:Flags", "-XX:VMOptionsFile", "--patch-module", "--upgrade-module-path", "--limit-modules");
    /** The same, as they appear in the environment variables the JVM or its launcher read. */
    private static final List<String> SHARING_WORDS = List.of("Xshare", "SharedArchiveFile", "ArchiveClassesAtExit",
            "UseSharedSpaces", "SharedClassListFile", "AutoCreateSharedArchive", "RecordDynamicDumpInfo",
            "VMOptionsFile", "Flags=");
    private static final List<String> PATH_OPTIONS = List.of("-p", "--module-path", "-cp", "-classpath",
            "--class-path");
    private static final List<String> OPTIONS_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    /**
     * Keeps the CDS log quiet: a worker that cannot use an archive says so on its standard
     * output otherwise. Later {@code -Xlog} options (the user's) still win.
     */
    private static final String QUIET = "-Xlog:cds*=off";

    /*
     * Run by /bin/sh with the archive's part file, the archive, the failure marker and the
     * training command as arguments: a complete archive is renamed into place (atomically,
     * in one directory); anything else is removed and marked as failed. Never let a worker
     * see a partly written archive: a JDK 17 that maps a truncated one dies of SIGBUS.
     */
    private static final String WRAPPER = "part=$1 archive=$2 failed=$3; shift 3; nice=;"
            + " if command -v nice >/dev/null 2>&1; then nice='nice -n 19'; fi;"
            + " if $nice \"$@\" && [ -s \"$part\" ]; then mv -f \"$part\" \"$archive\";"
            + " else rm -f \"$part\"; : > \"$failed\"; fi";

    /** The keys this JVM has started a training run for, so that it starts one at most once. */
    private static final Set<String> TRAINED = ConcurrentHashMap.newKeySet();
    /** At most this many training runs per host JVM, however many command lines it starts workers with. */
    private static final int MAX_TRAININGS = 8;

    private ClassDataSharing() {
    }

    /**
     * Returns the JVM options that make a worker JVM with this command line use its archive,
     * if it has one; if it has none, starts making it, for the workers that follow.
     *
     * @param command the worker's command line: {@code java}, then its options, then the
     *     main class or module
     * @param settings the worker's settings (its serializer and messenger kind are rehearsed)
     * @return the options to add after {@code java}; empty if there is no usable archive
     */
    static List<String> options(List<String> command, Map<String, String> settings) {
        try {
            if (!enabled(command)) {
                return List.of();
            }
            String key = key(command);
            Path directory = key == null ? null : Cache.DIRECTORY;
            if (directory == null) {
                return List.of();
            }
            Path archive = directory.resolve(key + ".jsa");
            if (trusted(archive, false)) {
                touch(archive);
                return List.of(QUIET, "-XX:SharedArchiveFile=" + archive);
            }
            if (!sideEffects(command) && TRAINED.size() < MAX_TRAININGS && TRAINED.add(key)
                    && !failedRecently(directory.resolve(key + ".failed"))) {
                train(command, settings, directory, key);
            }
        } catch (IOException | RuntimeException e) {
            // no sharing for this worker; it starts as it would without
        }
        return List.of();
    }

    /**
     * Options whose effects a second JVM with the same command line would duplicate or
     * collide with: agents and debuggers (a port taken, a suspended JVM that never ends),
     * recordings, logs and dumps written to files. No training run with those.
     */
    private static final List<String> SIDE_EFFECT_OPTIONS = List.of("-agentlib", "-agentpath", "-javaagent",
            "-Xrun", "-Xdebug", "-Xlog", "-XX:StartFlightRecording", "-XX:+FlightRecorder", "-XX:FlightRecorderOptions",
            "-XX:HeapDumpPath", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:ErrorFile", "-XX:OnError",
            "-XX:OnOutOfMemoryError", "-XX:LogFile", "-XX:+LogVMOutput", "-Xloggc", "-verbose");

    private static boolean sideEffects(List<String> command) {
        for (String argument : command) {
            for (String option : SIDE_EFFECT_OPTIONS) {
                if (argument.startsWith(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether sharing may be tried at all for this command line. */
    private static boolean enabled(List<String> command) {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY))
                || !System.getProperty("java.vm.info", "").contains("sharing")
                || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                || !new File("/bin/sh").canExecute()) {
            return false;
        }
        for (String argument : command) {
            for (String option : SHARING_OPTIONS) {
                if (argument.startsWith(option)) {
                    return false;
                }
            }
            if (argument.startsWith("@")) {
                return false; // an argument file: options we cannot see
            }
        }
        for (String variable : OPTIONS_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null) {
                for (String word : SHARING_WORDS) {
                    if (value.contains(word)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * The archive's key: a digest of what decides whether an archive fits this command line,
     * or {@code null} if no archive can (a directory of classes on a path).
     */
    static String key(List<String> command) throws IOException {
        StringBuilder text = new StringBuilder("coproc-cds 1\n");
        text.append(System.getProperty("java.vm.version")).append('\n');
        Path modules = Path.of(System.getProperty("java.home"), "lib", "modules");
        if (!describe(text, modules, false)) {
            return null;
        }
        for (int i = 0; i < command.size(); i++) {
            String argument = command.get(i);
            if (argument.startsWith("-D")) {
                continue; // a system property changes no class that can be shared
            }
            text.append(argument).append('\n');
            String paths = null;
            boolean modulePath = false;
            for (String option : PATH_OPTIONS) {
                if (argument.equals(option) && i + 1 < command.size()) {
                    paths = command.get(++i);
                    text.append(paths).append('\n');
                } else if (argument.startsWith(option + "=")) {
                    paths = argument.substring(option.length() + 1);
                }
                if (paths != null) {
                    modulePath = option.equals("-p") || option.equals("--module-path");
                    break;
                }
            }
            if (paths != null) {
                for (String entry : paths.split(File.pathSeparator, -1)) {
                    if (!entry.isEmpty() && !describe(text, Path.of(entry).toAbsolutePath(), modulePath)) {
                        return null;
                    }
                }
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    /**
     * Adds a path entry's identity (name, size, modification time) to the key's text; a
     * module path directory adds its jars. False for what CDS cannot archive from: a
     * directory of classes (an exploded module, or a class path directory that is not empty).
     */
    private static boolean describe(StringBuilder text, Path entry, boolean modulePath) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            text.append(entry).append(" absent\n");
            return true;
        }
        if (attributes.isDirectory()) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(entry)) {
                listing.forEach(children::add);
            }
            if (children.isEmpty()) {
                text.append(entry).append(" empty\n");
                return true;
            }
            if (!modulePath) {
                return false;
            }
            children.sort(Comparator.naturalOrder());
            for (Path child : children) {
                BasicFileAttributes inner = Files.readAttributes(child, BasicFileAttributes.class);
                if (inner.isDirectory()) {
                    return false;
                }
                text.append(child).append(' ').append(inner.size()).append(' ')
                        .append(inner.lastModifiedTime().toMillis()).append('\n');
            }
            return true;
        }
        text.append(entry).append(' ').append(attributes.size()).append(' ')
                .append(attributes.lastModifiedTime().toMillis()).append('\n');
        return true;
    }

    /**
     * Whether a path is ours alone: owned by this user, not a link, and writable by nobody
     * else; a directory must also be closed to everybody else.
     */
    private static boolean trusted(Path path, boolean directory) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
        return attributes.owner().equals(Cache.ME) && !othersMayWrite
                && (directory ? attributes.isDirectory() && !othersMayEnter
                        : attributes.isRegularFile() && attributes.size() > 0);
    }

    /** Marks an archive as used now (coarsely), so that pruning keeps the ones in use. */
    private static void touch(Path archive) {
        try {
            Instant now = Instant.now();
            if (Files.getLastModifiedTime(archive).toInstant().isBefore(now.minus(TOUCH_AFTER))) {
                Files.setLastModifiedTime(archive, FileTime.from(now));
            }
        } catch (IOException ignored) {
            // pruning may then take it a little early
        }
    }

    private static boolean failedRecently(Path marker) {
        try {
            return Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isAfter(Instant.now().minus(RETRY_FAILED_AFTER));
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a training run for a key, in the background; it outlives this JVM if need be. */
    private static void train(List<String> command, Map<String, String> settings, Path directory, String key)
            throws IOException {
        prune(directory);
        Path part = directory.resolve(key + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        List<String> wrapper = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "coproc-cds", part.toString(),
                directory.resolve(key + ".jsa").toString(), directory.resolve(key + ".failed").toString()));
        wrapper.add(command.get(0));
        wrapper.add(QUIET);
        wrapper.add("-XX:ArchiveClassesAtExit=" + part);
        wrapper.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(wrapper);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(Bootstrap.NAMES);
        environment.put(TRAINING, "1");
        for (String setting : List.of(Bootstrap.SERIALIZER, Bootstrap.MESSENGER)) {
            String value = settings.get(setting);
            if (value != null) {
                environment.put(setting, value);
            }
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        process.getOutputStream().close();
    }

    /**
     * Removes what is no longer wanted: part files of training runs that never finished,
     * stale failure markers, and the least recently used archives beyond the limit. A worker
     * that has mapped a removed archive keeps it.
     */
    private static void prune(Path directory) {
        Instant now = Instant.now();
        Map<Path, FileTime> archives = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                try {
                    String name = file.getFileName().toString();
                    FileTime time = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
                    if (name.endsWith(".part") && time.toInstant().isBefore(now.minus(PART_ABANDONED_AFTER))
                            || name.endsWith(".failed") && time.toInstant().isBefore(now.minus(RETRY_FAILED_AFTER))) {
                        Files.deleteIfExists(file);
                    } else if (name.endsWith(".jsa")) {
                        archives.put(file, time);
                    }
                } catch (IOException e) {
                    // another host is pruning too
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            return;
        }
        List<Path> oldestFirst = new ArrayList<>(archives.keySet());
        oldestFirst.sort(Comparator.comparing(archives::get));
        for (int i = 0; i <= oldestFirst.size() - MAX_ARCHIVES; i++) {
            try {
                Files.deleteIfExists(oldestFirst.get(i));
            } catch (IOException e) {
                // another host is pruning too
            }
        }
    }

    /**
     * Runs in a training JVM: rehearses a worker's start, with a {@code thread} worker and
     * the serializer and messenger kind of the worker that asked for the archive, so that
     * this JVM loads what a worker JVM loads; its exit then writes the archive.
     *
     * @return the exit code: 0 if the rehearsal went through
     */
    static int rehearse() {
        Thread limit = new Thread(ClassDataSharing::haltLate, "coproc-cds-limit");
        limit.setDaemon(true);
        limit.start();
        WorkerOptions options = WorkerOptions.defaults().withLauncher("thread");
        String serializer = System.getenv(Bootstrap.SERIALIZER);
        if (serializer != null) {
            options = options.withSerializer(serializer);
        }
        String kind = System.getenv(Bootstrap.MESSENGER);
        if (kind != null) {
            options = options.withMessengerKind(MessengerKind.valueOf(kind));
        }
        try (WorkerResource<Void> worker = new WorkerResource<Void>(ClassDataSharing::echo, options).start()) {
            Messenger messenger = worker.messenger();
            messenger.sendRequest(1);
            messenger.receiveBlocking();
            messenger.sendRequest("rehearsal");
            messenger.receiveBlocking();
            worker.join();
            return 0;
        } catch (RuntimeException e) {
            return 1;
        }
    }

    private static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    private static void haltLate() {
        try {
            Thread.sleep(TRAINING_LIMIT_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        Runtime.getRuntime().halt(1);
    }

    /** The archive directory and this user, found and checked once, when first needed. */
    private static final class Cache {

        /** This user, as the owner of files this JVM creates; null if unknown. */
        static final UserPrincipal ME;
        /** The archive directory; null if there is none that only this user may use. */
        static final Path DIRECTORY;

        static {
            UserPrincipal me = null;
            Path directory = null;
            try {
                String cacheHome = System.getenv("XDG_CACHE_HOME");
                Path base = cacheHome != null && !cacheHome.isEmpty() && Path.of(cacheHome).isAbsolute()
                        ? Path.of(cacheHome) : Path.of(System.getProperty("user.home", ""), ".cache");
                if (!base.isAbsolute()) {
                    throw new IOException("no home directory"); // the JVM says "?" when it has none
                }
                Path candidate = base.resolve("coproc").resolve("cds");
                Files.createDirectories(candidate, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Path probe = Files.createTempFile(candidate, "owner-", ".tmp");
                try {
                    me = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
                } finally {
                    Files.deleteIfExists(probe);
                }
                directory = candidate;
            } catch (IOException | RuntimeException e) {
                // no sharing
            }
            ME = me;
            DIRECTORY = directory != null && checked(directory) ? directory : null;
        }

        /** Whether the directory, and the one it is in, are this user's alone. */
        private static boolean checked(Path directory) {
            try {
                Path parent = directory.getParent();
                PosixFileAttributes outer = Files.readAttributes(parent, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                return trusted(directory, true) && outer.isDirectory() && outer.owner().equals(ME)
                        && !outer.permissions().contains(PosixFilePermission.GROUP_WRITE)
                        && !outer.permissions().contains(PosixFilePermission.OTHERS_WRITE);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
