package coproc.worker.internal;

import coproc.api.WorkerStartException;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.Closeables;
import coproc.messenger.internal.Daemons;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.PipeConnector;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Listens for one worker's connection: a Unix domain socket in a fresh directory that only
 * this user may enter, which accepts the first connection that presents the worker's
 * one-time secret and refuses every other (closed, having learnt nothing). The socket file
 * and its directory are removed on {@link #close()}.
 */
final class SocketListener implements AutoCloseable {

    /** Ends the waits of {@link #acceptInJvm} at their deadlines. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Path directory;
    private final Path socket;
    private final ServerSocketChannel server;

    private SocketListener(Path directory, Path socket, ServerSocketChannel server) {
        this.directory = directory;
        this.socket = socket;
        this.server = server;
    }

    /**
     * Binds a new socket in a private directory.
     *
     * @return the listener
     * @throws IOException if the directory or the socket cannot be made
     */
    static SocketListener open() throws IOException {
        Path directory = Files.createTempDirectory("coproc-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path socket = directory.resolve("worker.sock");
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            return new SocketListener(directory, socket, server);
        } catch (IOException | RuntimeException e) {
            Closeables.closeQuietly(server);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
            throw e;
        }
    }

    /** Returns the path workers connect to. */
    Path path() {
        return socket;
    }

    /**
     * Accepts the worker's connection: waits for it while checking that the worker is alive.
     * Every connection handshakes on a thread of its own, so that one that says nothing, or
     * too little, cannot hold up the worker's until the deadline: the first connection that
     * presents the secret becomes the messenger, and every other one is closed.
     *
     * @param worker the launched worker, watched while waiting
     * @param kind the messenger kind
     * @param options the messenger options, secret included
     * @param peerLoss what the messenger's receives throw once the worker has gone
     * @param deadline the {@link System#nanoTime()} to give up at
     * @param timeout the start timeout that set the deadline, for the error message
     * @param failureDetail what to add to an error: the worker's exit code and stderr
     * @return the messenger to the worker
     * @throws WorkerStartException if the worker exits, or does not connect by the deadline
     */
    PipeMessenger accept(WorkerProcess worker, MessengerKind kind, MessengerOptions options,
            Supplier<? extends RuntimeException> peerLoss, long deadline, Duration timeout, Supplier<String> failureDetail) {
        BlockingQueue<Connection> handshaken = new LinkedBlockingQueue<>();
        Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
        Thread acceptor = Daemons.start("coproc-accept", () -> {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    connections.add(channel);
                    Daemons.start("coproc-handshake", () -> {
                        try {
                            MessengerOptions timed = options.withHandshakeTimeout(remaining(deadline));
                            handshaken.add(new Connection(channel, MessengerAccess.bridge().create(kind,
                                    PipeConnector.accept(channel, timed, peerLoss))));
                        } catch (IOException | RuntimeException refused) {
                            // Not our worker: refused (closed), and it changes nothing.
                        }
                    });
                }
            } catch (IOException closed) {
                // the start has its worker, or has given up
            }
        });
        Connection ours = null;
        try {
            while (ours == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WorkerStartException("The worker did not connect within " + timeout + failureDetail.get());
                }
                try {
                    ours = handshaken.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WorkerStartException("Interrupted while waiting for the worker to connect", e);
                }
                if (ours == null && !worker.isAlive()) {
                    throw new WorkerStartException("The worker exited before it connected" + failureDetail.get());
                }
            }
            return ours.messenger();
        } finally {
            Closeables.closeQuietly(server); // ends the acceptor
            try {
                acceptor.join(1000); // so that it adds no connection after this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Connection other : handshaken) {
                other.messenger().close();
            }
            for (SocketChannel channel : connections) {
                if (ours == null || channel != ours.channel()) {
                    Closeables.closeQuietly(channel);
                }
            }
        }
    }

    /**
     * Accepts the connection of a worker in this JVM (a {@code thread} worker): as
     * {@link #accept}, but on the calling thread, with no threads of its own, since such a
     * worker connects at once. A connection that fails the handshake is closed and the next
     * one taken; one that connects and says nothing holds the start up until its deadline.
     *
     * @param worker the launched worker; its end stops the wait
     * @param kind the messenger kind
     * @param options the messenger options, secret included
     * @param peerLoss what the messenger's receives throw once the worker has gone
     * @param deadline the {@link System#nanoTime()} to give up at
     * @param timeout the start timeout that set the deadline, for the error message
     * @return the messenger to the worker
     * @throws WorkerStartException if the worker ends, or does not connect by the deadline
     */
    PipeMessenger acceptInJvm(WorkerProcess worker, MessengerKind kind, MessengerOptions options,
            Supplier<? extends RuntimeException> peerLoss, long deadline, Duration timeout) {
        ScheduledFuture<?> giveUp = WATCHDOG.schedule(() -> Closeables.closeQuietly(server),
                Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        CompletableFuture<Void> ended = worker.onExit().thenRun(() -> Closeables.closeQuietly(server));
        try {
            while (true) {
                SocketChannel channel;
                try {
                    channel = server.accept();
                } catch (ClosedChannelException stopped) {
                    throw new WorkerStartException(worker.isAlive() ? "The worker did not connect within " + timeout
                            : "The worker exited before it connected (exit code " + worker.exitCode().orElse(-1) + ")",
                            stopped);
                } catch (IOException e) {
                    throw new WorkerStartException("Could not accept the worker's connection: " + e, e);
                }
                try {
                    return MessengerAccess.bridge().create(kind,
                            PipeConnector.accept(channel, options.withHandshakeTimeout(remaining(deadline)), peerLoss));
                } catch (IOException | RuntimeException refused) {
                    // Not our worker: refused (closed), and it changes nothing.
                }
            }
        } finally {
            giveUp.cancel(false);
            ended.cancel(false);
            Closeables.closeQuietly(server);
        }
    }

    /** A connection that presented the secret, and the messenger over it. */
    private record Connection(SocketChannel channel, PipeMessenger messenger) {
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, Daemons.factory("coproc-accept-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
    }

    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** Stops listening and removes the socket file and its directory. */
    @Override
    public void close() {
        Closeables.closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // an empty private directory left behind is harmless
        }
    }
}
