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
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Listens for one worker's connection on a Unix domain socket in a fresh directory that only
 * this user may enter ({@link WorkerAcceptor} accepts the connection that presents the
 * worker's secret). The socket file and its directory are removed on {@link #close()}.
 */
final class SocketListener implements WorkerListener {

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

    @Override
    public Map<String, String> settings() {
        return Map.of(Bootstrap.SOCKET, socket.toString());
    }

    @Override
    public SocketChannel accept() throws IOException {
        return server.accept();
    }

    @Override
    public ByteChannel channel(Closeable connection, long deadline) {
        return (SocketChannel) connection;
    }

    /**
     * Accepts the connection of a worker in this JVM (a {@code thread} worker): as
     * {@link WorkerAcceptor#accept}, but on the calling thread, with no threads of its own, since such a
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
                            PipeConnector.accept(channel, options.withHandshakeTimeout(WorkerAcceptor.remaining(deadline)), peerLoss));
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

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, Daemons.factory("coproc-accept-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
        return watchdog;
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
