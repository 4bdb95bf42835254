package coproc.messenger.internal;

import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.messenger.MessengerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens pipes over connected channels: runs the handshake in the right order for each side,
 * within the handshake timeout, then makes the {@link Pipe} and starts it. Also makes a
 * connected pair in one JVM over a Unix domain socket.
 */
public final class PipeConnector {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Daemons.factory("coproc-handshake-timer"));

    private PipeConnector() {
    }

    /**
     * Opens a pipe over a connected channel as the side that speaks first (the one that
     * connected): sends its hello, checks the peer's, then starts reading.
     *
     * @param channel a connected, blocking channel; the pipe owns it from now on
     * @param options the options; the peer must use the same serializer and secret
     * @param peerLoss makes what receives throw once the peer has gone, or {@code null} for
     *     a {@link PipeClosedException}; called at most once
     * @return the open pipe
     * @throws IOException if the channel fails
     * @throws PipeException if the handshake fails or times out; the channel is closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe open(ByteChannel channel, MessengerOptions options, Supplier<? extends RuntimeException> peerLoss)
            throws IOException {
        return handshake(channel, options, peerLoss, true);
    }

    /**
     * Opens a pipe over a connected channel as the side that listens (the one that accepted
     * the connection): checks the peer's hello, secret included, before it sends anything of
     * its own, so a peer without the secret learns nothing; then starts reading.
     *
     * @param channel a connected, blocking channel; the pipe owns it from now on
     * @param options the options; the peer must use the same serializer and secret
     * @param peerLoss as for {@link #open}
     * @return the open pipe
     * @throws IOException if the channel fails
     * @throws PipeException if the handshake fails or times out; the channel is closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe accept(ByteChannel channel, MessengerOptions options, Supplier<? extends RuntimeException> peerLoss)
            throws IOException {
        return handshake(channel, options, peerLoss, false);
    }

    private static Pipe handshake(ByteChannel channel, MessengerOptions options,
            Supplier<? extends RuntimeException> peerLoss, boolean speakFirst) throws IOException {
        ProviderRegistry.SERIALIZERS.named(options.serializer()); // an unknown name fails before anything is sent
        try {
            if (speakFirst) {
                Handshake.write(channel, options.serializer(), options.secret());
            }
            FrameReader incoming = readHello(channel, options);
            if (!speakFirst) {
                Handshake.write(channel, options.serializer(), options.secret());
            }
            return start(channel, options, peerLoss, incoming);
        } catch (IOException | RuntimeException e) {
            Closeables.closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Opens both ends of a new pipe in this JVM, over a Unix domain socket pair.
     *
     * @param options the options of both ends
     * @return the two ends, connected: the accepting one, then the connecting one
     * @throws UncheckedIOException if the socket pair cannot be made
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe[] openPair(MessengerOptions options) {
        return openPair(options, null);
    }

    /**
     * As {@link #openPair(MessengerOptions)}, with a peer-loss exception for both ends.
     *
     * @param options the options of both ends
     * @param peerLoss as for {@link #open}
     * @return the two ends, connected: the accepting one, then the connecting one
     * @throws UncheckedIOException if the socket pair cannot be made
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe[] openPair(MessengerOptions options, Supplier<? extends RuntimeException> peerLoss) {
        ProviderRegistry.SERIALIZERS.named(options.serializer());
        SocketChannel[] sockets = socketPair();
        Pipe first = null;
        try {
            Handshake.write(sockets[1], options.serializer(), options.secret());
            FrameReader accepted = readHello(sockets[0], options);
            Handshake.write(sockets[0], options.serializer(), options.secret());
            FrameReader connected = readHello(sockets[1], options);
            first = start(sockets[0], options, peerLoss, accepted);
            return new Pipe[] {first, start(sockets[1], options, peerLoss, connected)};
        } catch (IOException e) {
            closePair(first, sockets);
            throw new UncheckedIOException("Could not open a messenger pair", e);
        } catch (RuntimeException | Error e) {
            closePair(first, sockets);
            throw e;
        }
    }

    private static void closePair(Pipe first, SocketChannel[] sockets) {
        if (first != null) {
            first.close();
        }
        Closeables.closeQuietly(sockets[0]);
        Closeables.closeQuietly(sockets[1]);
    }

    /** Reads and checks the peer's hello, within the handshake timeout. */
    private static FrameReader readHello(ByteChannel channel, MessengerOptions options) throws IOException {
        FrameReader incoming = new FrameReader(Handshake.MAX_HELLO_LENGTH);
        ScheduledFuture<?> timeout = TIMER.schedule(() -> Closeables.closeQuietly(channel),
                options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            Handshake.read(channel, incoming, options.serializer(), options.secret());
        } catch (AsynchronousCloseException e) {
            throw new PipeClosedException("No handshake from the peer within " + options.handshakeTimeout()
                    + "; is it a coproc messenger, and is it alive?", e);
        } finally {
            timeout.cancel(false);
        }
        if (!channel.isOpen()) {
            throw new PipeClosedException("No handshake from the peer within " + options.handshakeTimeout());
        }
        incoming.setMaxFrameLength(options.maxFrameLength());
        return incoming;
    }

    /**
     * Makes the pipe and starts its threads. A socket, or the socket under a
     * {@link LayeredChannel}, is switched to non-blocking mode, so that a receive can poll
     * briefly before it blocks in a selector.
     */
    private static Pipe start(ByteChannel channel, MessengerOptions options, Supplier<? extends RuntimeException> peerLoss,
            FrameReader incoming) throws IOException {
        Selector readable = null;
        Selector writable = null;
        Pipe pipe;
        try {
            SelectableChannel selectable = channel instanceof LayeredChannel layered ? layered.transport()
                    : channel instanceof SelectableChannel socket ? socket : null;
            if (selectable != null) {
                selectable.configureBlocking(false);
                readable = Selector.open();
                writable = Selector.open();
                selectable.register(readable, SelectionKey.OP_READ);
                selectable.register(writable, SelectionKey.OP_WRITE);
            }
            pipe = new Pipe(channel, options, peerLoss, incoming, readable, writable);
        } catch (IOException | RuntimeException | Error e) {
            Closeables.closeQuietly(readable);
            Closeables.closeQuietly(writable);
            throw e;
        }
        pipe.start();
        return pipe;
    }

    /** Makes a connected Unix domain socket pair, in a private directory that is removed at once. */
    static SocketChannel[] socketPair() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("coproc-pair", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path path = dir.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                return new SocketChannel[] {server.accept(), client};
            } finally {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a Unix domain socket pair", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }
}
