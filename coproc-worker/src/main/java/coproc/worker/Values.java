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

/**
 * The values of a {@link WorkerOptions}: a fresh copy is changed by each of its {@code with...}
 * methods, and never changed after. Not thread-safe while being changed; immutable once the
 * options hold it.
 */
final class Values implements Cloneable {
    MessengerKind messengerKind = MessengerKind.PRIORITY;
    MessengerOptions messenger = MessengerOptions.defaults();
    String launcher = "jvm";
    List<String> jvmOptions = List.of();
    Duration startTimeout = Duration.ofSeconds(60);
    int spares = WorkerOptions.sparesByDefault();
    Duration spareIdleTime = WorkerOptions.DEFAULT_SPARE_IDLE_TIME;
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

    @Override
    protected Values clone() {
        try {
            return (Values) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
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
