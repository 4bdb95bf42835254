package coproc.api.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link Launcher} starts.
 *
 * <p>A launcher that starts a JVM runs {@code mainClass} (in {@code mainModule} when the worker
 * runs on the module path) as {@link #jvm()} says, with {@code settings} as environment
 * variables, and hands it {@code target}, the worker's target and start argument
 * (JDK-serialized), by a route of its choosing that matches the worker's main class: the
 * {@code jvm} launcher writes it to the JVM's standard input and its length to the
 * {@code COPROC_TARGET_LENGTH} variable. A launcher that runs the worker inside an existing JVM
 * calls {@link WorkerEntry#run} with the settings and the target instead. The settings hold a
 * one-time secret and the target may hold anything: never put either on a command line, which
 * other users of the machine can read.
 *
 * @param mainModule the module of the worker's main class, or {@code null} on the class path
 * @param mainClass the worker's main class, with a {@code public static void main(String[])}
 * @param jvm how to start a worker JVM
 * @param settings the worker's settings, as environment variables
 * @param target the worker's target and start argument, JDK-serialized
 * @param stdout takes the text a worker process writes to its standard output, as it arrives,
 *     in pieces whose line ends are included (a launcher that runs the worker inside an existing
 *     JVM leaves its streams alone); if it is {@link AutoCloseable}, it is closed at the end
 * @param stderr likewise, for standard error
 * @param entry the worker's code, for launchers that run it in an existing JVM
 */
public record LaunchSpec(String mainModule, String mainClass, Jvm jvm, Map<String, String> settings, byte[] target,
        Consumer<String> stdout, Consumer<String> stderr, WorkerEntry entry) {

    /**
     * Checks and copies the components.
     *
     * @param mainModule the module of the worker's main class, or {@code null}
     * @param mainClass the worker's main class
     * @param jvm how to start a worker JVM
     * @param settings the worker's settings
     * @param target the worker's target and start argument
     * @param stdout takes the text of standard output
     * @param stderr takes the text of standard error
     * @param entry the worker's code
     * @throws NullPointerException if any component but {@code mainModule} is null
     */
    public LaunchSpec {
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(jvm, "jvm");
        settings = Map.copyOf(settings);
        target = target.clone();
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(entry, "entry");
    }

    /**
     * Returns a copy of the target's bytes.
     *
     * @return the worker's target and start argument, JDK-serialized
     */
    @Override
    public byte[] target() {
        return target.clone();
    }

    /**
     * Describes the spec without its settings and target, which hold the worker's secret and
     * the user's data.
     *
     * @return the main module and class, the JVM, the names of the settings and the target's size
     */
    @Override
    public String toString() {
        return "LaunchSpec[mainModule=" + mainModule + ", mainClass=" + mainClass + ", jvm=" + jvm + ", settings="
                + new java.util.TreeSet<>(settings.keySet()) + " (values hidden), target=" + target.length + " bytes]";
    }

    /**
     * Returns whether another spec has the same components, the target compared by content.
     *
     * @param other the other object
     * @return whether they are equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof LaunchSpec that && Objects.equals(mainModule, that.mainModule)
                && mainClass.equals(that.mainClass) && jvm.equals(that.jvm) && settings.equals(that.settings)
                && java.util.Arrays.equals(target, that.target) && stdout.equals(that.stdout)
                && stderr.equals(that.stderr) && entry.equals(that.entry);
    }

    /**
     * Returns a hash of the components, the target's by content.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(mainModule, mainClass, jvm, settings, java.util.Arrays.hashCode(target), stdout, stderr,
                entry);
    }

    /**
     * How to start a worker JVM; a {@code null} path or list means "as the host": the host's
     * {@code java}, module path and class path, and working directory.
     *
     * @param java the {@code java} executable, or {@code null}
     * @param options JVM options such as {@code -Xmx256m}
     * @param classPath the worker's class path, or {@code null}
     * @param modulePath the worker's module path, or {@code null}
     * @param workingDirectory the worker's working directory, or {@code null}
     * @param environment variables to set in the worker's environment, besides the settings
     * @param classDataSharing where class data sharing archives are kept, or {@code null} for
     *     no sharing
     * @param commandPrefix a command the JVM is started under, such as {@code taskset -c 1},
     *     empty for none
     */
    public record Jvm(Path java, List<String> options, List<String> classPath, List<String> modulePath,
            Path workingDirectory, Map<String, String> environment, Path classDataSharing,
            List<String> commandPrefix) {

        /**
         * Checks and copies the components.
         *
         * @param java the {@code java} executable, or {@code null}
         * @param options JVM options
         * @param classPath the class path, or {@code null}
         * @param modulePath the module path, or {@code null}
         * @param workingDirectory the working directory, or {@code null}
         * @param environment extra variables
         * @param classDataSharing the archive directory, or {@code null}
         * @param commandPrefix the command prefix, maybe empty
         * @throws NullPointerException if {@code options}, {@code environment} or
         *     {@code commandPrefix} is null
         */
        public Jvm {
            options = List.copyOf(options);
            classPath = classPath == null ? null : List.copyOf(classPath);
            modulePath = modulePath == null ? null : List.copyOf(modulePath);
            environment = Map.copyOf(environment);
            commandPrefix = List.copyOf(commandPrefix);
        }

        /**
         * Returns a JVM as the host, with options and nothing else.
         *
         * @param options JVM options
         * @return the JVM
         */
        public static Jvm withOptions(List<String> options) {
            return new Jvm(null, options, null, null, null, Map.of(), null, List.of());
        }
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
         * @param target the worker's target and start argument, as {@link LaunchSpec#target()}
         * @return the worker's exit code: 0 when its target ended normally
         */
        int run(Map<String, String> settings, byte[] target);
    }
}
