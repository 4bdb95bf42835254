package coproc.worker.internal;

import coproc.messenger.internal.Closeables;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Listens for one worker's connection on a Unix domain socket in a fresh directory that only
 * this user may enter ({@link WorkerAcceptor} accepts the connection that presents the
 * worker's secret). The socket file and its directory are removed on {@link #close()}.
 */
final class SocketListener implements WorkerListener {

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
