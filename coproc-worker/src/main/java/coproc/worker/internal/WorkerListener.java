package coproc.worker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.util.Map;

/**
 * The listening end of a transport that one worker connects to: a private Unix socket
 * ({@link SocketListener}) or a TLS port ({@link TlsListener}). It says where the worker finds
 * it, takes connections, and makes each one a channel that a pipe handshakes over;
 * {@link WorkerAcceptor} runs the race among them. Not thread-safe but for {@link #close()},
 * which ends a blocked {@link #accept()}.
 */
interface WorkerListener extends AutoCloseable {

    /**
     * Returns the worker's settings that say where to connect; nothing secret.
     *
     * @return the settings, by the names of {@link Bootstrap}
     */
    Map<String, String> settings();

    /**
     * Waits for the next connection.
     *
     * @return the raw connection
     * @throws IOException once the listener is closed, or if accepting fails
     */
    Closeable accept() throws IOException;

    /**
     * Makes a connection the channel a pipe handshakes over: for TLS, after the TLS handshake,
     * which must end by the deadline. Runs on a thread of the connection's own.
     *
     * @param connection what {@link #accept()} returned
     * @param deadline the {@link System#nanoTime()} by which the worker must have connected
     * @return the channel, blocking
     * @throws IOException if the connection fails or is refused; the caller closes it
     */
    ByteChannel channel(Closeable connection, long deadline) throws IOException;

    /** Stops listening and removes what the listener made; idempotent. */
    @Override
    void close();
}
