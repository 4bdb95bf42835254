package coproc.worker;

import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link WorkerResource} starts and stops its worker. Immutable; every {@code with...}
 * method returns a copy.
 */
public final class WorkerOptions {

    private static final WorkerOptions DEFAULTS = new WorkerOptions(MessengerKind.PRIORITY, "jvm", "kryo", List.of(),
            MessengerOptions.DEFAULT_MAX_FRAME_LENGTH, Duration.ofSeconds(60), Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    private final MessengerKind messengerKind;
    private final String launcher;
    private final String serializer;
    private final List<String> jvmOptions;
    private final int maxFrameLength;
    private final Duration startTimeout;
    private final Duration closeTimeout;
    private final Duration stopTimeout;

    private WorkerOptions(MessengerKind messengerKind, String launcher, String serializer, List<String> jvmOptions,
            int maxFrameLength, Duration startTimeout, Duration closeTimeout, Duration stopTimeout) {
        this.messengerKind = messengerKind;
        this.launcher = launcher;
        this.serializer = serializer;
        this.jvmOptions = jvmOptions;
        this.maxFrameLength = maxFrameLength;
        this.startTimeout = startTimeout;
        this.closeTimeout = closeTimeout;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Returns the defaults: a priority messenger, the {@code jvm} launcher, the {@code kryo}
     * serializer, no extra JVM options, 64 MiB frames, a 60 second start timeout, and a stop
     * ladder of 2 seconds after the close request and 2 seconds after the polite end.
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
        return new WorkerOptions(Objects.requireNonNull(kind, "kind"), launcher, serializer, jvmOptions,
                maxFrameLength, startTimeout, closeTimeout, stopTimeout);
    }

    /**
     * Returns a copy with another launcher.
     *
     * @param name {@code jvm} (the default), {@code thread}, or the name of a launcher a module
     *     provides; checked at {@code start()}, which lists the available names if none answers
     * @return the new options
     * @throws IllegalArgumentException if the name is blank
     */
    public WorkerOptions withLauncher(String name) {
        return new WorkerOptions(messengerKind, nonBlank(name, "launcher"), serializer, jvmOptions, maxFrameLength,
                startTimeout, closeTimeout, stopTimeout);
    }

    /**
     * Returns a copy with another serializer.
     *
     * @param name {@code kryo} (the default), {@code java}, or the name of a serializer a module
     *     provides
     * @return the new options
     * @throws IllegalArgumentException if no serializer has the name; the message lists those
     *     that exist
     * @throws IllegalStateException if more than one serializer has the name
     */
    public WorkerOptions withSerializer(String name) {
        MessengerOptions.defaults().withSerializer(name); // validates
        return new WorkerOptions(messengerKind, launcher, name, jvmOptions, maxFrameLength,
                startTimeout, closeTimeout, stopTimeout);
    }

    /**
     * Returns a copy with JVM options for worker JVMs, such as {@code -Xmx256m} or
     * {@code --add-opens ...}. Ignored by launchers that start no JVM.
     *
     * @param options the options, one argument each
     * @return the new options
     */
    public WorkerOptions withJvmOptions(List<String> options) {
        return new WorkerOptions(messengerKind, launcher, serializer, List.copyOf(options), maxFrameLength,
                startTimeout, closeTimeout, stopTimeout);
    }

    /**
     * Returns a copy with another maximum frame length for both ends of the pipe.
     *
     * @param bytes the limit, as {@link MessengerOptions#withMaxFrameLength(int)} accepts it
     * @return the new options
     * @throws IllegalArgumentException if the limit is out of range
     */
    public WorkerOptions withMaxFrameLength(int bytes) {
        MessengerOptions.defaults().withMaxFrameLength(bytes); // validates
        return new WorkerOptions(messengerKind, launcher, serializer, jvmOptions, bytes, startTimeout, closeTimeout,
                stopTimeout);
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
        return new WorkerOptions(messengerKind, launcher, serializer, jvmOptions, maxFrameLength,
                positive(timeout, "startTimeout"), closeTimeout, stopTimeout);
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
        return new WorkerOptions(messengerKind, launcher, serializer, jvmOptions, maxFrameLength, startTimeout,
                notNegative(closeTimeout, "closeTimeout"), notNegative(stopTimeout, "stopTimeout"));
    }

    /**
     * Returns the messenger kind.
     *
     * @return the messenger kind
     */
    public MessengerKind messengerKind() {
        return messengerKind;
    }

    /**
     * Returns the launcher name.
     *
     * @return the launcher name
     */
    public String launcher() {
        return launcher;
    }

    /**
     * Returns the serializer name.
     *
     * @return the serializer name
     */
    public String serializer() {
        return serializer;
    }

    /**
     * Returns the JVM options for worker JVMs, unmodifiable.
     *
     * @return the JVM options for worker JVMs, unmodifiable
     */
    public List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * Returns the maximum frame length in bytes.
     *
     * @return the maximum frame length in bytes
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Returns the start timeout.
     *
     * @return the start timeout
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Returns how long a worker may take to obey a close request when stopped.
     *
     * @return how long a worker may take to obey a close request when stopped
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Returns how long a worker may take to end after the polite end.
     *
     * @return how long a worker may take to end after the polite end
     */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    private static String nonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be blank: '" + value + "'");
        }
        return value;
    }

    private static Duration positive(Duration value, String what) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    private static Duration notNegative(Duration value, String what) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "WorkerOptions[messengerKind=" + messengerKind + ", launcher=" + launcher + ", serializer=" + serializer
                + ", jvmOptions=" + jvmOptions + ", maxFrameLength=" + maxFrameLength + ", startTimeout="
                + startTimeout + ", closeTimeout=" + closeTimeout + ", stopTimeout=" + stopTimeout + "]";
    }
}
