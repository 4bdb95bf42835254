package coproc.worker.internal;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether and how a worker JVM uses application class data sharing: it maps the
 * classes it needs at start (the JDK's, Kryo's, coproc's) from an archive instead of loading,
 * verifying and linking them from jars, which saves it tens of milliseconds, a fifth of its
 * start.
 *
 * <p>On JDK 25 and later (the worker's JDK, see {@link WorkerJdk}) the archive is an AOT cache,
 * which also keeps the classes linked and profiles of the start: a worker starts faster still.
 * Either kind is silenced in every worker JVM: a stale archive does not print on its output.
 *
 * <p>The archive is keyed on everything that decides whether it fits: the {@code java}, the
 * worker's JDK build, the command line (system properties aside) and the name, size and modification
 * time of every jar on the module path and class path; a rebuilt jar gives a new key. A
 * command line with no archive yet starts a {@link CdsTraining} run in the background, for
 * the workers that follow; at most {@value #MAX_TRAININGS} per host JVM, and none for a key
 * whose training failed within a day. Archives live in a {@link CdsDirectory}.
 *
 * <p>Sharing is skipped where it cannot work or is not wanted: on a JVM that does not use
 * class data sharing itself, on file systems without POSIX permissions, when a directory of
 * classes is on a path (CDS takes only jars), when the module options disable CDS
 * ({@code --patch-module}, {@code --upgrade-module-path}, {@code --limit-modules}), and when
 * the JVM options, or the {@code JAVA_TOOL_OPTIONS}-style variables, configure sharing or an
 * AOT cache themselves. Each decision, and each archive made or not, is logged at DEBUG
 * (logger {@code coproc.worker.cds}): sharing only ever makes a start quicker, and a worker
 * starts as well without it. Only an unexpected failure is logged at WARNING.
 */
public final class ClassDataSharing {

    /** The host's system property that turns sharing off by default when {@code false}. */
    static final String ENABLED_PROPERTY = "coproc.worker.cds";

    static final System.Logger LOG = System.getLogger("coproc.worker.cds");

    /** JVM options of a worker that configure sharing, or an AOT cache, themselves. */
    private static final List<String> SHARING_OPTIONS = List.of("-Xshare", "-XX:SharedArchiveFile",
            "-XX:ArchiveClassesAtExit", "-XX:+UseSharedSpaces", "-XX:-UseSharedSpaces", "-XX:SharedClassListFile",
            "-XX:DumpLoadedClassList", "-XX:+AutoCreateSharedArchive", "-XX:+RecordDynamicDumpInfo",
            "-XX:AOTCache", "-XX:AOTMode", "-XX:AOTConfiguration", "-XX:AOTCacheOutput",
            "-XX:Flags", "-XX:VMOptionsFile", "--patch-module", "--upgrade-module-path", "--limit-modules");
    /** The same, as they appear in the environment variables the JVM or its launcher read. */
    private static final List<String> SHARING_WORDS = List.of("Xshare", "SharedArchiveFile", "ArchiveClassesAtExit",
            "UseSharedSpaces", "SharedClassListFile", "AutoCreateSharedArchive", "RecordDynamicDumpInfo", "AOTCache",
            "AOTMode", "AOTConfiguration", "VMOptionsFile", "Flags=");
    private static final List<String> OPTIONS_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");
    private static final List<String> PATH_OPTIONS = List.of("-p", "--module-path", "-cp", "-classpath",
            "--class-path");

    /**
     * Keeps the CDS log of a JDK 17 worker quiet (see {@link WorkerJdk.Archive#quiet()}).
     */
    static final String QUIET = WorkerJdk.Archive.APP_CDS.quiet();

    /** At most this many training runs per host JVM, however many command lines it starts workers with. */
    static final int MAX_TRAININGS = 8;
    /** The directories and keys this JVM has started a training run for, so that it starts one at most once. */
    private static final Set<String> TRAINED = ConcurrentHashMap.newKeySet();
    /** The directories opened, or why not, by path. */
    private static final Map<Path, Object> DIRECTORIES = new ConcurrentHashMap<>();

    private ClassDataSharing() {
    }

    /**
     * Whether sharing is on by default: unless the host runs with
     * {@code -Dcoproc.worker.cds=false}.
     *
     * @return the default
     */
    public static boolean enabledByDefault() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY));
    }

    /**
     * Returns the default archive directory: {@code $XDG_CACHE_HOME/coproc/cds}, or
     * {@code ~/.cache/coproc/cds}.
     *
     * @return the directory, or empty if this JVM knows no home directory
     */
    public static Optional<Path> defaultDirectory() {
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path base = cacheHome != null && !cacheHome.isEmpty() && Path.of(cacheHome).isAbsolute() ? Path.of(cacheHome)
                : Path.of(System.getProperty("user.home", ""), ".cache");
        return base.isAbsolute() ? Optional.of(base.resolve("coproc").resolve("cds")) : Optional.empty();
    }

    /**
     * Returns the JVM options that make a worker JVM with this command line quiet about
     * sharing and, if sharing is on and the command line has an archive, use it (an AOT cache
     * on JDK 25 and later, an AppCDS archive before); if it has none, starts making it, for the
     * workers that follow.
     *
     * @param command the worker's command line: {@code java}, then its options, then the
     *     main class or module
     * @param directory where archives are kept, or {@code null} for no sharing
     * @param settings the worker's settings (its serializer and messenger kind are rehearsed)
     * @return the options to add after {@code java}: the quiet option, and the archive's if
     *     there is a usable one
     */
    static List<String> options(List<String> command, Path directory, Map<String, String> settings) {
        WorkerJdk jdk = WorkerJdk.of(command.get(0));
        WorkerJdk.Archive kind = jdk.archive();
        List<String> quiet = List.of(kind.quiet());
        if (directory == null) {
            return quiet;
        }
        try {
            String refusal = refusal(command, System.getenv());
            String key = refusal == null ? key(command, settings.get(Bootstrap.TLS_ADDRESS) != null) : null;
            if (key == null) {
                LOG.log(Level.DEBUG, "No class data sharing for this worker: {0}",
                        refusal != null ? refusal : "a directory of classes is on its path (CDS takes only jars)");
                return quiet;
            }
            CdsDirectory archives = open(directory);
            if (archives == null) {
                return quiet;
            }
            Path archive = archives.archive(key, kind);
            if (archives.trusted(archive, false)) {
                archives.touch(archive, Instant.now());
                LOG.log(Level.DEBUG, "Worker JVM uses class data sharing archive {0}", archive);
                return List.of(kind.quiet(), kind.use(archive));
            }
            if (sideEffects(command)) {
                LOG.log(Level.DEBUG, "No training run for a worker with agents, recordings or log files");
            } else if (TRAINED.size() < MAX_TRAININGS && !archives.failedRecently(key, Instant.now())
                    && TRAINED.add(directory + "/" + key)) {
                archives.prune(Instant.now());
                CdsTraining.start(command, settings, archives, key, kind);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "No class data sharing for this worker: " + e, e);
        }
        return quiet;
    }

    /** The directory, opened once; {@code null} (logged once) if it cannot be used. */
    private static CdsDirectory open(Path path) {
        Object opened = DIRECTORIES.computeIfAbsent(path, p -> {
            try {
                return CdsDirectory.open(p);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Class data sharing is off for worker JVMs: cannot use the archive directory "
                        + p + ": " + e + ". Choose another with WorkerOptions.withClassDataSharingDirectory");
                return e;
            }
        });
        return opened instanceof CdsDirectory directory ? directory : null;
    }

    /**
     * Why sharing cannot or should not be tried for a command line.
     *
     * @param command the worker's command line
     * @param environment the variables the worker JVM reads its options from
     * @return the reason, or {@code null} if sharing may be tried
     */
    static String refusal(List<String> command, Map<String, String> environment) {
        if (!System.getProperty("java.vm.info", "").contains("sharing")) {
            return "this JVM does not use class data sharing itself";
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return "the file system has no POSIX permissions";
        }
        for (String argument : command) {
            for (String option : SHARING_OPTIONS) {
                if (argument.startsWith(option)) {
                    return "its options configure sharing themselves (" + argument + ")";
                }
            }
            if (argument.startsWith("@")) {
                return "an argument file holds options that cannot be checked (" + argument + ")";
            }
        }
        for (String variable : OPTIONS_VARIABLES) {
            String value = environment.get(variable);
            if (value != null) {
                for (String word : SHARING_WORDS) {
                    if (value.contains(word)) {
                        return variable + " configures sharing";
                    }
                }
            }
        }
        return null;
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

    /** Whether a command line has options that a training run with it would repeat. */
    static boolean sideEffects(List<String> command) {
        for (String argument : command) {
            for (String option : SIDE_EFFECT_OPTIONS) {
                if (argument.startsWith(option)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The archive's key: a digest of what decides whether an archive fits this command line,
     * or {@code null} if no archive can (a directory of classes on a path). A worker that
     * connects over TLS has an archive of its own, whose training rehearses a TLS connection:
     * a cold JVM loads about a thousand classes for it.
     *
     * @param command the worker's command line
     * @param tls whether the worker connects to its host over TLS
     * @return 40 hex digits, or null
     * @throws IOException if a path entry cannot be read
     */
    static String key(List<String> command, boolean tls) throws IOException {
        WorkerJdk jdk = WorkerJdk.of(command.get(0));
        StringBuilder text = new StringBuilder("coproc-cds 2 ").append(jdk.archive()).append('\n');
        if (tls) {
            text.append("tls\n");
        }
        text.append(jdk.identity());
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
}
