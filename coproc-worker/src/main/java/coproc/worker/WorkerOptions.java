package coproc.worker;

import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.api.spi.LaunchSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a {@link WorkerResource} starts and stops its worker: the messenger (kind, serializer,
 * frame limit), the launcher, the worker JVM's options and class data sharing, and the
 * timeouts of start and stop. Immutable and thread-safe; every {@code with...} method returns
 * a copy.
 */
public final class WorkerOptions {

    private static final WorkerOptions DEFAULTS = new WorkerOptions(new Values());

    private final Values values;

    private WorkerOptions(Values values) {
        this.values = values;
    }

    /** A copy with one change. */
    private WorkerOptions with(Consumer<Values> change) {
        Values copy = values.clone();
        change.accept(copy);
        return new WorkerOptions(copy);
    }

    /**
     * Returns the defaults: a priority messenger, the {@code jvm} launcher (or the one the host's
     * {@code -Dcoproc.worker.launcher=NAME} names, with its options from
     * {@code -Dcoproc.worker.launcher.OPTION=VALUE}), the {@code kryo} serializer, no extra JVM
     * options, 64 MiB frames, a 60 s start timeout, a stop ladder of 2 s + 2 s, class data
     * sharing unless the host runs with {@code -Dcoproc.worker.cds=false}.
     *
     * @return the default options
     */
    public static WorkerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with another messenger kind.
     *
     * @param kind {@link MessengerKind#PRIORITY} (the default) or {@link MessengerKind#MULTI}
     * @return the new options
     */
    public WorkerOptions withMessengerKind(MessengerKind kind) {
        Objects.requireNonNull(kind, "kind");
        return with(v -> v.messengerKind = kind);
    }

    /**
     * Returns a copy with another launcher.
     *
     * @param name {@code jvm} (the default), {@code thread}, {@code ssh}, or a module's launcher;
     *     checked at {@code start()}, which lists the available names if none answers
     * @return the new options
     * @throws IllegalArgumentException if the name is blank
     */
    public WorkerOptions withLauncher(String name) {
        return withLauncher(name, Map.of());
    }

    /**
     * Returns a copy with another launcher, configured by options.
     *
     * @param name the launcher's name, as for {@link #withLauncher(String)}
     * @param options its options by name, as its documentation lists them; a launcher that
     *     takes none, or not these, fails {@code start()} naming them
     * @return the new options
     * @throws IllegalArgumentException if the name is blank
     */
    public WorkerOptions withLauncher(String name, Map<String, String> options) {
        Map<String, String> copy = Map.copyOf(options);
        return with(v -> v.launcher(name, copy));
    }

    /**
     * Returns a copy whose workers start on other machines through the {@code ssh} launcher.
     *
     * @param ssh the hosts, and how to reach them
     * @return the new options
     */
    public WorkerOptions withSsh(SshOptions ssh) {
        return withLauncher(SshOptions.LAUNCHER, ssh.launcherOptions());
    }

    /**
     * Returns a copy with another serializer.
     *
     * @param name {@code kryo} (the default), {@code java}, or the name of a serializer a module provides
     * @return the new options
     * @throws IllegalArgumentException if no serializer has the name (the message lists those that exist)
     * @throws IllegalStateException if more than one serializer has the name
     */
    public WorkerOptions withSerializer(String name) {
        MessengerOptions messenger = values.messenger.withSerializer(name);
        return with(v -> v.messenger = messenger);
    }

    /**
     * Returns a copy with JVM options for worker JVMs, such as {@code -Xmx256m} or
     * {@code --add-opens ...}. Ignored by launchers that start no JVM.
     *
     * @param options the options, one argument each
     * @return the new options
     */
    public WorkerOptions withJvmOptions(List<String> options) {
        List<String> copy = List.copyOf(options);
        return with(v -> v.jvmOptions = copy);
    }

    /**
     * Returns a copy with another maximum frame length for both ends of the pipe.
     *
     * @param bytes the limit, as {@link MessengerOptions#withMaxFrameLength(int)} accepts it
     * @return the new options
     * @throws IllegalArgumentException if the limit is out of range
     */
    public WorkerOptions withMaxFrameLength(int bytes) {
        MessengerOptions messenger = values.messenger.withMaxFrameLength(bytes);
        return with(v -> v.messenger = messenger);
    }

    /**
     * Returns a copy with another start timeout: how long {@code start()} waits for the worker
     * to connect and load its target before it gives up and ends it.
     *
     * @param timeout a positive duration
     * @return the new options
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public WorkerOptions withStartTimeout(Duration timeout) {
        return with(v -> v.startTimeout = Values.positive(timeout, "startTimeout"));
    }

    /**
     * Returns a copy with other stop-ladder timeouts. Stopping sends a close request and waits
     * {@code closeTimeout} for the worker to end; then ends it politely (for a process,
     * {@code SIGTERM}) and waits {@code stopTimeout}; then ends it by force.
     *
     * @param closeTimeout how long a worker may take to obey a close request
     * @param stopTimeout how long a worker may take to end after the polite end
     * @return the new options
     * @throws IllegalArgumentException if a timeout is negative
     */
    public WorkerOptions withStopTimeouts(Duration closeTimeout, Duration stopTimeout) {
        Values.notNegative(closeTimeout, "closeTimeout");
        Values.notNegative(stopTimeout, "stopTimeout");
        return with(v -> {
            v.closeTimeout = closeTimeout;
            v.stopTimeout = stopTimeout;
        });
    }

    /**
     * Returns a copy that keeps spare worker JVMs booted, connected and primed: a {@code start()}
     * of their configuration (JVM, paths, environment, messenger) hands one its target, and a
     * replacement boots 200 ms later (at once if a start waits); other starts, and the first, are
     * cold (said at DEBUG, logger {@code coproc.worker}). A spare runs no user code before it is
     * taken, has its own secret, ends with the host, is replaced if it dies, and stops after
     * {@code idleTime} idle. {@code jvm} launcher only; none by default, {@code -Dcoproc.worker.spares=N}, idle 60 s.
     *
     * @param count how many spares to keep, idle and booting, 0 for none
     * @param idleTime how long a spare may wait for a start before it is stopped
     * @return the new options
     * @throws IllegalArgumentException if the count is negative or above 64, or the idle time
     *     is not positive
     */
    public WorkerOptions withSpares(int count, Duration idleTime) {
        return with(v -> v.spares(count, idleTime));
    }

    /**
     * Returns a copy that turns class data sharing for worker JVMs on or off: a worker JVM maps
     * its classes from an archive (an AOT cache on JDK 25+) that a background training JVM made
     * at the first start of its command line, saving tens of milliseconds. On by default, unless
     * the host runs with {@code -Dcoproc.worker.cds=false}. Ignored by launchers that start no JVM.
     *
     * @param enabled whether to share
     * @return the new options
     */
    public WorkerOptions withClassDataSharing(boolean enabled) {
        return with(v -> v.classDataSharing = enabled);
    }

    /**
     * Returns a copy that keeps class data sharing archives in another directory. It is
     * created if missing, with access for this user only; archives in it are used only if this
     * user owns them and nobody else may write them. The default is
     * {@code $XDG_CACHE_HOME/coproc/cds}, or {@code ~/.cache/coproc/cds}.
     *
     * @param directory an absolute path
     * @return the new options
     * @throws IllegalArgumentException if the path is not absolute
     */
    public WorkerOptions withClassDataSharingDirectory(Path directory) {
        return with(v -> v.archiveDirectory = Values.absolute(directory, "the class data sharing directory"));
    }

    /**
     * Returns a copy that starts worker JVMs with another {@code java}; by default, the host's.
     *
     * @param executable the {@code java} executable
     * @return the new options
     */
    public WorkerOptions withJava(Path executable) {
        Objects.requireNonNull(executable, "executable");
        return with(v -> v.java = executable);
    }

    /**
     * Returns a copy that gives worker JVMs this class path instead of the host's. By default
     * a worker gets the host's class path, or, when the host's {@code java.class.path} does not
     * hold coproc (coproc loaded by a class loader of the application's, as under
     * {@code mvn exec:java}), the jars and directories its classes and the target's came from.
     *
     * @param entries jars and directories
     * @return the new options
     */
    public WorkerOptions withClassPath(List<Path> entries) {
        List<String> copy = entries.stream().map(Path::toString).toList();
        return with(v -> v.classPath = copy);
    }

    /**
     * Returns a copy that gives worker JVMs this module path instead of the host's; every
     * module on it is resolved. By default a worker gets the host's module path and module
     * options.
     *
     * @param entries jars and directories of modules
     * @return the new options
     */
    public WorkerOptions withModulePath(List<Path> entries) {
        List<String> copy = entries.stream().map(Path::toString).toList();
        return with(v -> v.modulePath = copy);
    }

    /**
     * Returns a copy that starts worker processes in another working directory; by default, the host's.
     *
     * @param directory the directory
     * @return the new options
     */
    public WorkerOptions withWorkingDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return with(v -> v.workingDirectory = directory);
    }

    /**
     * Returns a copy that sets variables in the environment of worker processes, besides the
     * host's environment, which they inherit (less coproc's own variables).
     *
     * @param variables names and values
     * @return the new options
     * @throws IllegalArgumentException if a name starts with {@code COPROC_}, which is coproc's
     */
    public WorkerOptions withEnvironment(Map<String, String> variables) {
        Map<String, String> copy = Values.notCoprocs(variables);
        return with(v -> v.environment = copy);
    }

    /**
     * Returns a copy that starts worker JVMs under a command, such as {@code taskset -c 1},
     * {@code nice -n 5} or {@code numactl --cpunodebind=0}: the command and its arguments, then
     * the worker's {@code java} command line.
     *
     * @param command the command and its arguments; empty for none
     * @return the new options
     */
    public WorkerOptions withCommandPrefix(List<String> command) {
        List<String> copy = List.copyOf(command);
        return with(v -> v.commandPrefix = copy);
    }

    /**
     * Returns a copy that sends the lines a worker process writes to its standard output
     * elsewhere; by default they go to the host's {@code System.out}.
     *
     * @param output where they go
     * @return the new options
     */
    public WorkerOptions withStdout(WorkerOutput output) {
        Objects.requireNonNull(output, "output");
        return with(v -> v.stdout = output);
    }

    /**
     * Returns a copy that sends the lines a worker process writes to its standard error
     * elsewhere; by default they go to the host's {@code System.err}. The last lines are kept
     * for error messages wherever they go.
     *
     * @param output where they go
     * @return the new options
     */
    public WorkerOptions withStderr(WorkerOutput output) {
        Objects.requireNonNull(output, "output");
        return with(v -> v.stderr = output);
    }

    /** {@return where a worker process's standard output goes} */
    public WorkerOutput stdout() {
        return values.stdout;
    }

    /** {@return where a worker process's standard error goes} */
    public WorkerOutput stderr() {
        return values.stderr;
    }

    /** {@return the messenger kind} */
    public MessengerKind messengerKind() {
        return values.messengerKind;
    }

    /** {@return the launcher name} */
    public String launcher() {
        return values.launcher;
    }

    /** {@return the launcher's options, by name; empty for the {@code jvm} and {@code thread} launchers} */
    public Map<String, String> launcherOptions() {
        return values.launcherOptions;
    }

    /** {@return the serializer name} */
    public String serializer() {
        return values.messenger.serializer();
    }

    /** {@return the JVM options for worker JVMs, unmodifiable} */
    public List<String> jvmOptions() {
        return values.jvmOptions;
    }

    /** {@return the maximum frame length in bytes} */
    public int maxFrameLength() {
        return values.messenger.maxFrameLength();
    }

    /** The values, for {@link WorkerResource}: its spares. */
    Values values() {
        return values;
    }

    /** {@return the start timeout} */
    public Duration startTimeout() {
        return values.startTimeout;
    }

    /** {@return how long a worker may take to obey a close request when stopped} */
    public Duration closeTimeout() {
        return values.closeTimeout;
    }

    /** {@return how long a worker may take to end after the polite end} */
    public Duration stopTimeout() {
        return values.stopTimeout;
    }

    /**
     * Returns where class data sharing archives are kept, if sharing is on.
     *
     * @return the directory, or empty if class data sharing is off or no default directory
     *     can be found (no home directory)
     */
    public Optional<Path> classDataSharingDirectory() {
        return values.archives();
    }

    /** How to start a worker JVM for a target of this class. */
    LaunchSpec.Jvm jvm(Class<?> target) {
        return values.jvm(target, classDataSharingDirectory().orElse(null));
    }

    /** The messenger options of both ends: serializer and frame limit. */
    MessengerOptions messengerOptions() {
        return values.messenger;
    }

    @Override
    public String toString() {
        return "WorkerOptions[messengerKind=" + values.messengerKind + ", launcher=" + values.launcher
                + (values.launcherOptions.isEmpty() ? "" : " " + new java.util.TreeMap<>(values.launcherOptions))
                + ", serializer=" + serializer() + ", jvmOptions=" + values.jvmOptions + ", maxFrameLength="
                + maxFrameLength() + ", startTimeout=" + values.startTimeout + ", closeTimeout=" + values.closeTimeout
                + ", stopTimeout=" + values.stopTimeout + ", spares=" + values.spares + ", classDataSharing="
                + classDataSharingDirectory().map(Path::toString).orElse("off") + ", stdout=" + values.stdout
                + ", stderr=" + values.stderr + "]";
    }
}
