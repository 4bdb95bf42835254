package coproc.worker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a worker JVM runs on, as far as class data sharing cares: its feature version, which
 * decides the kind of archive it takes and how its sharing log is silenced, and its identity,
 * which an archive is keyed on. Read from the {@code release} file and {@code lib/modules} of
 * the home of a {@code java} executable (the host's when it is the host's, or cannot be
 * resolved), once per executable. Immutable; the cache is thread-safe.
 *
 * @param feature the feature version (17, 25, ...), or 0 if unknown
 * @param identity the text that identifies the JDK build in an archive's key
 */
record WorkerJdk(int feature, String identity) {

    /** The first feature version whose {@code java} makes an AOT cache in one step ({@code -XX:AOTCacheOutput}). */
    static final int AOT_CACHE_FEATURE = 25;

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final Map<String, WorkerJdk> KNOWN = new ConcurrentHashMap<>();

    /**
     * The JDK of a {@code java} executable.
     *
     * @param java the executable as on a command line: an absolute path, or a name such as
     *     {@code java} (taken as the host's)
     * @return its JDK
     */
    static WorkerJdk of(String java) {
        return KNOWN.computeIfAbsent(java, WorkerJdk::read);
    }

    private static WorkerJdk read(String java) {
        Path hostHome = Path.of(System.getProperty("java.home"));
        Path home = hostHome;
        try {
            Path executable = Path.of(java);
            if (executable.isAbsolute()) {
                Path bin = executable.toRealPath().getParent();
                home = bin == null || bin.getParent() == null ? hostHome : bin.getParent();
            }
        } catch (IOException | RuntimeException e) {
            home = hostHome; // the start will say what is wrong with it
        }
        StringBuilder identity = new StringBuilder(home.toString()).append('\n');
        int feature = 0;
        try {
            String release = Files.readString(home.resolve("release"));
            identity.append(release).append('\n');
            Matcher version = VERSION.matcher(release);
            if (version.find()) {
                feature = Integer.parseInt(version.group(1));
            }
        } catch (IOException | RuntimeException e) {
            identity.append("no release file\n");
        }
        if (feature == 0 && home.equals(hostHome)) {
            feature = Runtime.version().feature();
            identity.append(System.getProperty("java.vm.version")).append('\n');
        }
        try {
            BasicFileAttributes modules = Files.readAttributes(home.resolve("lib").resolve("modules"),
                    BasicFileAttributes.class);
            identity.append("modules ").append(modules.size()).append(' ')
                    .append(modules.lastModifiedTime().toMillis()).append('\n');
        } catch (IOException e) {
            identity.append("no modules file\n");
        }
        return new WorkerJdk(feature, identity.toString());
    }

    /** {@return the kind of archive this JDK takes: an AOT cache from JDK 25, else an AppCDS archive} */
    Archive archive() {
        return feature >= AOT_CACHE_FEATURE ? Archive.AOT_CACHE : Archive.APP_CDS;
    }

    /**
     * The kinds of archive, and their options. Never both at once: a JDK 25 refuses to start
     * with {@code -XX:AOTCache} and {@code -XX:SharedArchiveFile} together.
     */
    enum Archive {
        /** A dynamic AppCDS archive, {@code -XX:ArchiveClassesAtExit} once, then {@code -XX:SharedArchiveFile}. */
        APP_CDS(".jsa", "-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=", "-Xlog:cds*=off"),
        /** An AOT cache (JDK 25+), {@code -XX:AOTCacheOutput} once, then {@code -XX:AOTCache}. */
        AOT_CACHE(".aot", "-XX:AOTCache=", "-XX:AOTCacheOutput=", "-Xlog:aot*=off,cds*=off");

        private final String suffix;
        private final String use;
        private final String make;
        private final String quiet;

        Archive(String suffix, String use, String make, String quiet) {
            this.suffix = suffix;
            this.use = use;
            this.make = make;
            this.quiet = quiet;
        }

        /** {@return the archive file's suffix} */
        String suffix() {
            return suffix;
        }

        /** {@return the option that makes a JVM use an archive} */
        String use(Path archive) {
            return use + archive;
        }

        /** {@return the option that makes a training JVM write an archive} */
        String make(Path archive) {
            return make + archive;
        }

        /**
         * {@return the option that keeps this JDK's sharing log quiet}: a worker that cannot
         * use an archive says so on its standard output otherwise. Later {@code -Xlog} options
         * (the user's) still win.
         */
        String quiet() {
            return quiet;
        }
    }
}
