package coproc.worker;

import coproc.api.Messenger;
import coproc.api.PipeException;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerIsAlreadyAliveException;
import coproc.api.WorkerIsAlreadyDeadException;
import coproc.api.WorkerIsDeadException;
import coproc.api.WorkerStartException;
import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.NamedProvider;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.worker.internal.Bootstrap;
import coproc.worker.internal.WorkerRuntime;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker and the host's messenger to it.
 *
 * <p>Constructing starts nothing. {@link #start(Object)} launches a worker (by default a new
 * JVM) that runs the {@link WorkerTarget} with its own messenger and the start argument, and
 * returns once the worker has connected back and loaded its target. The host then talks to it
 * through {@link #messenger()}. A resource can be started again once its worker has ended;
 * each start makes a fresh worker and a fresh pipe.
 *
 * <pre>{@code
 * try (var worker = new WorkerResource<Void>(Echo::run).start()) {
 *     worker.messenger().sendRequest("hello");
 *     System.out.println(worker.messenger().<String>receiveBlocking());
 * }
 * }</pre>
 *
 * <h2>Stopping</h2>
 * {@link #join()} asks the worker to close and waits for it to end. {@link #terminate()} and
 * {@link #close()} stop it by a ladder: a close request, then, after
 * {@link WorkerOptions#closeTimeout()}, a polite end ({@code SIGTERM}), then, after
 * {@link WorkerOptions#stopTimeout()}, a forced one. Workers still alive when the host JVM
 * exits are stopped the same way, faster; a worker whose host dies, even by {@code kill -9},
 * ends by itself.
 *
 * <h2>Failures</h2>
 * A worker that dies makes the host's receives throw {@link WorkerDiedException}, with the
 * exit code and the last lines of its standard error, once every message it sent before it
 * died has been received. An exception the target throws is sent to the host and thrown by
 * its next receive.
 *
 * <h2>Thread safety</h2>
 * The lifecycle methods are synchronized: calls from several threads take turns. The
 * messenger has its own contract (see {@link Messenger}).
 *
 * @param <A> the type of the start argument
 */
public final class WorkerResource<A> implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Launcher> LAUNCHERS = new ConcurrentHashMap<>();
    private static final Set<WorkerResource<?>> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(WorkerResource::stopAllAtExit, "coproc-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private final WorkerTarget<A> target;
    private final WorkerOptions options;
    /** A launcher to use instead of the one named in the options; for tests. */
    private final Launcher launcherOverride;
    private volatile WorkerProcess process;
    private PipeMessenger messenger;
    /** Whether join, terminate or close has seen the current worker end. */
    private boolean reaped;

    /**
     * Creates a resource for a target, with the default options.
     *
     * @param target what the worker runs
     */
    public WorkerResource(WorkerTarget<A> target) {
        this(target, WorkerOptions.defaults());
    }

    /**
     * Creates a resource for a target.
     *
     * @param target what the worker runs
     * @param options how to start and stop it
     */
    public WorkerResource(WorkerTarget<A> target, WorkerOptions options) {
        this(target, options, null);
    }

    WorkerResource(WorkerTarget<A> target, WorkerOptions options, Launcher launcherOverride) {
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
        this.launcherOverride = launcherOverride;
    }

    /**
     * Starts a worker with no start argument ({@code null}).
     *
     * @return this resource
     * @see #start(Object)
     */
    public WorkerResource<A> start() {
        return start(null);
    }

    /**
     * Starts a worker: launches it, waits for it to connect back and load its target, and
     * returns. Blocks for at most {@link WorkerOptions#startTimeout()}.
     *
     * @param argument passed to the target's {@code run}; must be serializable
     * @return this resource
     * @throws WorkerIsAlreadyAliveException if the previous worker is still alive
     * @throws IllegalArgumentException if the target or argument cannot be serialized, or no
     *     launcher or serializer has the configured name (the message lists the names there are)
     * @throws WorkerStartException if the worker does not come up: the message gives its exit
     *     code and the last lines of its standard error; nothing is left running
     */
    public synchronized WorkerResource<A> start(A argument) {
        if (isAlive()) {
            throw new WorkerIsAlreadyAliveException("The worker is still alive (" + process + "); join() or"
                    + " terminate() it before starting it again");
        }
        byte[] payload = Bootstrap.encode(target, argument);
        Launcher launcher = launcherOverride != null ? launcherOverride : launcher(options.launcher());
        MessengerOptions messengerOptions = MessengerOptions.defaults().withSerializer(options.serializer())
                .withMaxFrameLength(options.maxFrameLength());
        if (messenger != null) {
            messenger.close();
        }
        process = null;
        messenger = null;
        reaped = false;
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("coproc-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path socket = dir.resolve("worker.sock");
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            Map<String, String> settings = Bootstrap.settings(socket.toString(), secret, options.messengerKind(),
                    messengerOptions, payload);
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                prepareSerializers(messengerOptions.serializer());
                WorkerProcess started = launcher.launch(new LaunchSpec("coproc.worker", Bootstrap.MAIN_CLASS,
                        options.jvmOptions(), settings, worker -> WorkerRuntime.run(worker, false, () -> { })));
                process = started;
                messenger = accept(server, started, messengerOptions.withSecret(secret)
                        .withPeerLoss(() -> died(started)), deadline);
            } finally {
                Files.deleteIfExists(socket);
            }
            if (!Bootstrap.carriesTarget(settings)) {
                messenger.sendNoRequest(payload, Bootstrap.CHANNEL);
            }
            Object ready = messenger.receiveBlocking(Bootstrap.CHANNEL, remaining(deadline));
            if (!Bootstrap.READY.equals(ready)) {
                throw new WorkerStartException("The worker answered " + ready + " instead of " + Bootstrap.READY);
            }
            messenger.sendNoRequest(Bootstrap.GO, Bootstrap.CHANNEL);
            LIVE.removeIf(other -> !other.running());
            LIVE.add(this);
            return this;
        } catch (WorkerStartException e) {
            abandon();
            throw e;
        } catch (WorkerDiedException e) {
            abandon();
            throw new WorkerStartException("The worker did not come up: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            abandon();
            throw new WorkerStartException("The worker did not load its target within " + options.startTimeout()
                    + failureDetail(), e);
        } catch (IOException e) {
            abandon();
            throw new WorkerStartException("Could not start the worker: " + e + failureDetail(), e);
        } catch (RuntimeException e) {
            abandon();
            throw new WorkerStartException("The worker could not start its target: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // an empty private directory left behind is harmless
                }
            }
        }
    }

    /**
     * Accepts the worker's connection: waits for it while checking that the worker is alive,
     * and refuses (closes) any connection that does not present the secret.
     */
    private PipeMessenger accept(ServerSocketChannel server, WorkerProcess started, MessengerOptions withSecret,
            long deadline) throws IOException {
        /* Every connection handshakes on a thread of its own, so that one that says nothing, or
           too little, cannot hold up the worker's until the start timeout: the first connection
           that presents the secret becomes the messenger, and every other one is closed. */
        BlockingQueue<Connection> handshaken = new LinkedBlockingQueue<>();
        Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    connections.add(channel);
                    Thread handshake = new Thread(() -> {
                        try {
                            handshaken.add(new Connection(channel, PipeMessenger.accept(options.messengerKind(), channel,
                                    withSecret.withHandshakeTimeout(remaining(deadline)))));
                        } catch (IOException | RuntimeException refused) {
                            // Not our worker: refused (closed), and it changes nothing.
                        }
                    }, "coproc-handshake");
                    handshake.setDaemon(true);
                    handshake.start();
                }
            } catch (IOException closed) {
                // start() has its worker, or has given up
            }
        }, "coproc-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Connection ours = null;
        try {
            while (ours == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WorkerStartException("The worker did not connect within " + options.startTimeout()
                            + failureDetail());
                }
                try {
                    ours = handshaken.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WorkerStartException("Interrupted while waiting for the worker to connect", e);
                }
                if (ours == null && !started.isAlive()) {
                    throw new WorkerStartException("The worker exited before it connected" + failureDetail());
                }
            }
            return ours.messenger();
        } finally {
            closeQuietly(server); // ends the acceptor
            try {
                acceptor.join(1000); // so that it adds no connection after this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SocketChannel channel : connections) {
                if (ours == null || channel != ours.channel()) {
                    closeQuietly(channel);
                }
            }
            for (Connection other : handshaken) {
                other.messenger().close();
            }
        }
    }

    /**
     * Makes the serializers of the pipe to the worker while the worker starts: code that runs
     * once per start stays interpreted, and two Kryo instances then take milliseconds.
     */
    private static void prepareSerializers(String serializer) {
        Thread preparing = new Thread(PipeMessenger.prepare(serializer), "coproc-prepare");
        preparing.setDaemon(true);
        preparing.start();
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // refusing is best effort
        }
    }

    /** A connection that presented the secret, and the messenger over it. */
    private record Connection(SocketChannel channel, PipeMessenger messenger) {
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** What the host's receives throw once the worker has gone: waits briefly for its exit code. */
    private static WorkerDiedException died(WorkerProcess worker) {
        try {
            worker.waitFor(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new WorkerDiedException(worker.exitCode().isPresent() ? worker.exitCode().getAsInt() : null,
                worker.stderrTail());
    }

    private String failureDetail() {
        WorkerProcess worker = process;
        if (worker == null) {
            return "";
        }
        StringBuilder detail = new StringBuilder();
        worker.exitCode().ifPresent(code -> detail.append(" (exit code ").append(code).append(')'));
        String tail = worker.stderrTail();
        if (!tail.isBlank()) {
            detail.append(". Last lines of its stderr:\n").append(tail);
        }
        return detail.toString();
    }

    /** Ends a worker that failed to start, leaving nothing running. */
    private void abandon() {
        if (messenger != null) {
            messenger.close();
        }
        if (process != null && process.isAlive()) {
            process.kill();
            try {
                process.waitFor(options.stopTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Launcher launcher(String name) {
        Launcher found = LAUNCHERS.get(name);
        if (found == null) {
            found = NamedProvider.select(ServiceLoader.load(LauncherProvider.class, WorkerResource.class.getClassLoader()),
                    LauncherProvider.class, name).create();
            LAUNCHERS.put(name, found);
        }
        return found;
    }

    /**
     * Returns whether the worker is running.
     *
     * @return {@code true} from a successful start until the worker ends
     */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * Returns the worker's process id.
     *
     * @return the pid, or empty if the launcher runs workers inside this JVM
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized OptionalLong pid() {
        if (process == null) {
            throw new WorkerIsDeadException("The worker was never started; call start() first");
        }
        return process.pid();
    }

    /**
     * Returns the host's messenger to the worker. After the worker ended it stays usable for
     * receiving what the worker sent before it ended.
     *
     * @return the messenger of the latest start
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized Messenger messenger() {
        if (messenger == null) {
            throw new WorkerIsDeadException("The worker was never started; call start() first");
        }
        return messenger;
    }

    /**
     * Asks the worker to close and waits for it to end: first drains what has arrived (so an
     * error the worker sent is thrown here), then sends a close request, then waits. A worker
     * that has ended on its own since it was started is simply reaped, so
     * {@code messenger().sendCloseRequest(); join();} never races with the worker's end.
     *
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     * @throws RuntimeException an error the worker sent before, as any receive throws it
     */
    public void join() {
        join(null);
    }

    /**
     * As {@link #join()}, waiting at most the timeout; the worker is left running if it does
     * not end in time.
     *
     * @param timeout how long to wait for the worker to end, or {@code null} to wait for ever
     * @return {@code true} if the worker ended, {@code false} if the timeout elapsed first
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     * @throws RuntimeException an error the worker sent before, as any receive throws it
     */
    public boolean join(Duration timeout) {
        WorkerProcess worker;
        synchronized (this) {
            checkNotReaped();
            worker = process;
            try {
                messenger.drainIfIdle(); // a thread receiving now will meet the error itself
                if (worker.isAlive()) {
                    messenger.sendCloseRequest();
                }
            } catch (PipeException ignored) {
                // it is ending already
            }
        }
        // Wait outside the lock, so that terminate() from another thread can still act.
        boolean ended = waitFor(worker, timeout == null ? Duration.ofNanos(Long.MAX_VALUE) : timeout);
        if (ended) {
            synchronized (this) {
                if (process == worker) {
                    reap();
                }
            }
        }
        return ended;
    }

    /**
     * Stops the worker by the stop ladder (close request, polite end, forced end) and waits
     * for it to end. A worker that has ended on its own since it was started is simply reaped.
     *
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     */
    public synchronized void terminate() {
        checkNotReaped();
        stop();
    }

    private void checkNotReaped() {
        if (process == null || reaped) {
            throw new WorkerIsAlreadyDeadException("The worker is not alive"
                    + (process == null ? "; start() it first" : ": it has been joined or terminated already"));
        }
    }

    private void reap() {
        reaped = true;
        LIVE.remove(this);
    }

    /**
     * Stops the worker if it is alive, by the stop ladder, and closes the messenger.
     * Idempotent; for try-with-resources. Throws nothing the worker sent.
     */
    @Override
    public synchronized void close() {
        if (process != null && !reaped) {
            stop();
        }
        if (messenger != null) {
            messenger.close();
        }
    }

    private void stop() {
        if (process.isAlive()) {
            try {
                messenger.sendCloseRequest();
            } catch (PipeException ignored) {
                // a broken pipe: the worker is ending already
            }
            if (!waitFor(options.closeTimeout())) {
                process.stop();
                if (!waitFor(options.stopTimeout())) {
                    process.kill();
                    waitFor(options.stopTimeout());
                }
            }
        }
        reap();
    }

    private boolean waitFor(Duration timeout) {
        return waitFor(process, timeout);
    }

    private static boolean waitFor(WorkerProcess worker, Duration timeout) {
        try {
            return worker.waitFor(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !worker.isAlive();
        }
    }

    /** Whether the worker runs; without the lock, for the registry of live workers. */
    private boolean running() {
        WorkerProcess worker = process;
        return worker != null && worker.isAlive();
    }

    private static void stopAllAtExit() {
        for (WorkerResource<?> worker : LIVE) {
            try {
                worker.messenger.sendCloseRequest();
            } catch (RuntimeException ignored) {
                // ending anyway
            }
        }
        for (WorkerResource<?> worker : LIVE) {
            try {
                if (!worker.process.waitFor(Duration.ofMillis(500))) {
                    worker.process.kill();
                }
            } catch (InterruptedException | RuntimeException ignored) {
                // the JVM is exiting
            }
        }
    }

    @Override
    public synchronized String toString() {
        String type = target.getClass().getName();
        int lambda = type.indexOf("$$Lambda");
        return "WorkerResource[target=" + (lambda < 0 ? type : type.substring(0, lambda) + " lambda") + ", " + options.messengerKind() + ", launcher="
                + options.launcher() + ", " + (process == null ? "not started" : process + (process.isAlive() ? ", alive"
                : ", ended")) + "]";
    }
}
