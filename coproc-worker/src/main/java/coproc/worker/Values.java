package coproc.worker;

import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.worker.internal.ClassDataSharing;
import coproc.worker.internal.CodePaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a {@link WorkerOptions}: a fresh copy is changed by each of its {@code with...}
 * methods, and never changed after. Not thread-safe while being changed; immutable once the
 * options hold it.
 */
final class Values implements Cloneable {

    /** The host's system property that sets the default number of spares. */
    static final String SPARES_PROPERTY = "coproc.worker.spares";
    /** Names the default launcher; its options are the properties below it ({@code coproc.worker.launcher.hosts}, ...). */
    static final String LAUNCHER_PROPERTY = "coproc.worker.launcher";
    /** How long a spare may wait for a start by default. */
    static final Duration DEFAULT_SPARE_IDLE_TIME = Duration.ofSeconds(60);
    /** The most spares one configuration may keep. */
    static final int MAX_SPARES = 64;

    MessengerKind messengerKind = MessengerKind.PRIORITY;
    MessengerOptions messenger = MessengerOptions.defaults();
    String launcher = System.getProperty(LAUNCHER_PROPERTY, "jvm");
    Map<String, String> launcherOptions = launcherOptionsByDefault();
    List<String> jvmOptions = List.of();
    Duration startTimeout = Duration.ofSeconds(60);
    int spares = sparesByDefault();
    Duration spareIdleTime = DEFAULT_SPARE_IDLE_TIME;
    Duration closeTimeout = Duration.ofSeconds(2);
    Duration stopTimeout = Duration.ofSeconds(2);
    boolean classDataSharing = ClassDataSharing.enabledByDefault();
    Path archiveDirectory = null;
    Path java = null;
    List<String> classPath = null;
    List<String> modulePath = null;
    Path workingDirectory = null;
    Map<String, String> environment = Map.of();
    List<String> commandPrefix = List.of();
    WorkerOutput stdout = WorkerOutput.toHostStdout();
    WorkerOutput stderr = WorkerOutput.toHostStderr();

    /** The default launcher's options: the host's {@code coproc.worker.launcher.OPTION} properties. */
    private static Map<String, String> launcherOptionsByDefault() {
        Map<String, String> options = new java.util.HashMap<>();
        String prefix = LAUNCHER_PROPERTY + ".";
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> options.put(name.substring(prefix.length()), System.getProperty(name)));
        return Map.copyOf(options);
    }

    /**
     * The number of spares by default: {@code -Dcoproc.worker.spares=N} on the host, else 0; a
     * value that is not a number from 0 to 64 counts as 0, and is logged at WARNING.
     */
    static int sparesByDefault() {
        String value = System.getProperty(SPARES_PROPERTY, "0");
        try {
            int spares = Integer.parseInt(value.trim());
            if (spares >= 0 && spares <= MAX_SPARES) {
                return spares;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.getLogger("coproc.worker").log(System.Logger.Level.WARNING, "-D" + SPARES_PROPERTY + "=" + value
                + " is not a number of spares from 0 to " + MAX_SPARES + ": no spares by default. Fix or remove it");
        return 0;
    }

    /** Sets the spares, as {@link WorkerOptions#withSpares} says, checking them first. */
    void spares(int count, Duration idleTime) {
        if (count < 0 || count > MAX_SPARES) {
            throw new IllegalArgumentException("spares must be between 0 and " + MAX_SPARES + ": " + count);
        }
        if (idleTime == null || idleTime.isNegative() || idleTime.isZero()) {
            throw new IllegalArgumentException("the spares' idle time must be positive: " + idleTime);
        }
        spares = count;
        spareIdleTime = idleTime;
    }

    @Override
    protected Values clone() {
        try {
            return (Values) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Where class data sharing archives are kept: empty if sharing is off or there is no home directory. */
    Optional<Path> archives() {
        if (!classDataSharing) {
            return Optional.empty();
        }
        return archiveDirectory != null ? Optional.of(archiveDirectory) : ClassDataSharing.defaultDirectory();
    }

    void launcher(String name, Map<String, String> options) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("launcher name must not be blank: '" + name + "'");
        }
        launcher = name;
        launcherOptions = options;
    }

    static Duration positive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    static Path absolute(Path path, String what) {
        if (path == null || !path.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be an absolute path: " + path);
        }
        return path;
    }

    /** A copy of the variables, none of which may be coproc's own. */
    static Map<String, String> notCoprocs(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        copy.keySet().stream().filter(name -> name.startsWith("COPROC_")).findAny().ifPresent(name -> {
            throw new IllegalArgumentException("environment variable " + name + " is coproc's own; choose another name");
        });
        return copy;
    }

    static void notNegative(Duration value, String what) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
    }

    /** How to start a worker JVM for a target of this class, with sharing in this directory (or none). */
    LaunchSpec.Jvm jvm(Class<?> target, Path classDataSharing) {
        List<String> paths = classPath;
        if (paths == null && modulePath == null) {
            paths = CodePaths.forTarget(target).orElse(null);
        }
        return new LaunchSpec.Jvm(java, jvmOptions, paths, modulePath, workingDirectory, environment, classDataSharing,
                commandPrefix);
    }
}
