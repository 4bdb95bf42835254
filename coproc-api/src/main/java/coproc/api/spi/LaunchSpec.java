package coproc.api.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Launcher} starts.
 *
 * <p>A launcher that starts a JVM runs {@code mainClass} (in {@code mainModule} when the host
 * runs on the module path) with the given JVM options and with {@code settings} as
 * environment variables. A launcher that runs the worker inside an existing JVM calls
 * {@link WorkerEntry#run} with the settings instead. The settings hold a one-time secret,
 * and may hold the worker's target and start argument (JDK-serialized, in Base64): never put
 * them on a command line, which other users of the machine can read. (The {@code jvm}
 * launcher writes the target to the JVM's standard input instead, so that it does not stay
 * in the environment that the worker's own child processes inherit.)
 *
 * @param mainModule the module of the worker's main class, or {@code null} on the class path
 * @param mainClass the worker's main class, with a {@code public static void main(String[])}
 * @param jvmOptions options for a new JVM, such as {@code -Xmx256m}
 * @param settings the worker's settings, as environment variables
 * @param entry the worker's code, for launchers that run it in an existing JVM
 */
public record LaunchSpec(String mainModule, String mainClass, List<String> jvmOptions,
        Map<String, String> settings, WorkerEntry entry) {

    /**
     * Checks and copies the components.
     *
     * @param mainModule the module of the worker's main class, or {@code null}
     * @param mainClass the worker's main class
     * @param jvmOptions options for a new JVM
     * @param settings the worker's settings
     * @param entry the worker's code
     * @throws NullPointerException if any component but {@code mainModule} is null
     */
    public LaunchSpec {
        Objects.requireNonNull(mainClass, "mainClass");
        jvmOptions = List.copyOf(jvmOptions);
        settings = Map.copyOf(settings);
        Objects.requireNonNull(entry, "entry");
    }

    /**
     * Describes the spec without its settings, which hold the worker's secret.
     *
     * @return the main module and class, the JVM options and the names of the settings
     */
    @Override
    public String toString() {
        return "LaunchSpec[mainModule=" + mainModule + ", mainClass=" + mainClass + ", jvmOptions=" + jvmOptions
                + ", settings=" + new java.util.TreeSet<>(settings.keySet()) + " (values hidden)]";
    }

    /**
     * A worker's code, run inside the calling JVM.
     */
    @FunctionalInterface
    public interface WorkerEntry {

        /**
         * Runs a worker to its end on the calling thread.
         *
         * @param settings the worker's settings, as {@link LaunchSpec#settings()}
         * @return the worker's exit code: 0 when its target ended normally
         */
        int run(Map<String, String> settings);
    }
}
