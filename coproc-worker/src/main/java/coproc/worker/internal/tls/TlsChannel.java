package coproc.worker.internal.tls;

import coproc.messenger.internal.LayeredChannel;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS connection over a TCP socket channel, run by an {@link SSLEngine}: the channel a pipe
 * reads and writes, selectable through its socket, so that a receive waits on it as on a plain
 * socket, with no thread in between ({@link LayeredChannel}).
 *
 * <p>{@link #handshake} runs the TLS handshake by a deadline and leaves the socket blocking;
 * the pipe then makes it non-blocking. One thread may read while another writes;
 * {@link #close()} may come from any thread and ends a blocked read or write with an
 * {@link java.nio.channels.AsynchronousCloseException}. No {@code close_notify} is sent: the
 * pipe's own frames say whether a stream ended cleanly.
 */
public final class TlsChannel implements LayeredChannel {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** A TLS record's header: type, version, and a 2-byte length. */
    private static final int RECORD_HEADER = 5;
    /** How long a handshake waits in the selector before it looks whether the socket was closed. */
    private static final long HANDSHAKE_SLICE_MILLIS = 100;

    private final SocketChannel socket;
    private final SSLEngine engine;

    /** Guards the reading side: {@link #netIn}, {@link #appIn}, {@link #inputEnded}. */
    private final Object inLock = new Object();
    /** Records from the socket not yet decrypted, in write mode: {@code position} bytes held. */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet read, in read mode. */
    private ByteBuffer appIn;
    /** Whether the peer ended the stream. */
    private boolean inputEnded;
    /**
     * The engine's handshake status after the last unwrap, as its result said: asking the
     * engine takes its lock, twice per read.
     */
    private SSLEngineResult.HandshakeStatus afterUnwrap = SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;

    /** Guards the writing side: {@link #netOut}. */
    private final Object outLock = new Object();
    /** Encrypted bytes not yet written to the socket, in read mode. */
    private ByteBuffer netOut;

    private TlsChannel(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet).flip();
    }

    /**
     * Runs the TLS handshake over a connected socket, by a deadline, and returns the channel.
     *
     * @param socket the connected socket; left in blocking mode; the caller closes it if this
     *     fails
     * @param engine the engine, its mode and protocols set
     * @param deadline the {@link System#nanoTime()} by which the handshake must be done
     * @return the channel
     * @throws SocketTimeoutException if the deadline passes
     * @throws SSLException if the handshake fails (a certificate that is not trusted, say)
     * @throws IOException if the socket fails or the peer closes it
     */
    static TlsChannel handshake(SocketChannel socket, SSLEngine engine, long deadline) throws IOException {
        TlsChannel channel = new TlsChannel(socket, engine);
        socket.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            SelectionKey key = socket.register(selector, 0);
            engine.beginHandshake();
            channel.runHandshake(key, deadline);
        } // closing the selector deregisters the socket, which may then block again
        socket.configureBlocking(true);
        return channel;
    }

    private void runHandshake(SelectionKey key, long deadline) throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    wrap(NOTHING);
                    while (!flushHeld()) {
                        await(key, SelectionKey.OP_WRITE, deadline);
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrap() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = socket.read(netIn);
                        if (n < 0) {
                            throw new EOFException("The peer closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            await(key, SelectionKey.OP_READ, deadline);
                        }
                    }
                }
                default -> {
                    return; // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    private void await(SelectionKey key, int operation, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("The TLS handshake did not end in time");
        }
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        key.interestOps(operation);
        key.selector().select(Math.max(1, Math.min(HANDSHAKE_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
        key.selector().selectedKeys().clear();
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /**
     * Decrypts what {@link #netIn} holds into {@link #appIn}; the caller holds the input lock or
     * is the handshake. Grows a buffer that is too small, and runs the engine's tasks.
     *
     * @return {@code BUFFER_UNDERFLOW} if more bytes must come from the socket first
     */
    private SSLEngineResult.Status unwrap() throws IOException {
        if (netIn.position() == 0) {
            return SSLEngineResult.Status.BUFFER_UNDERFLOW;
        }
        netIn.flip();
        appIn.compact();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
            appIn.flip();
        }
        switch (result.getStatus()) {
            case BUFFER_OVERFLOW -> appIn = grown(appIn, engine.getSession().getApplicationBufferSize());
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = grown(netIn.flip(), engine.getSession().getPacketBufferSize()).compact();
                }
            }
            default -> {
                // OK or CLOSED
            }
        }
        afterUnwrap = result.getHandshakeStatus();
        if (afterUnwrap == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
            afterUnwrap = engine.getHandshakeStatus();
        }
        return result.getStatus();
    }

    /** Sends what a message after the handshake asks for (a key update); rare. */
    private void answer() throws IOException {
        synchronized (outLock) {
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(NOTHING);
            }
            flushHeld(); // what the socket does not take now goes with the next write
        }
    }

    /** A buffer, in read mode, with the bytes of another and room for {@code more}. */
    private static ByteBuffer grown(ByteBuffer held, int more) {
        ByteBuffer bigger = ByteBuffer.allocate(held.remaining() + more);
        bigger.put(held);
        return bigger.flip();
    }

    /**
     * Encrypts from a source onto the end of {@link #netOut}; the caller holds the output lock.
     *
     * @return how many bytes of the source it took
     */
    private int wrap(ByteBuffer source) throws IOException {
        netOut.compact();
        SSLEngineResult result;
        try {
            result = engine.wrap(source, netOut);
        } finally {
            netOut.flip();
        }
        switch (result.getStatus()) {
            case BUFFER_OVERFLOW -> netOut = grown(netOut, engine.getSession().getPacketBufferSize());
            case CLOSED -> throw new ClosedChannelException();
            default -> {
                // OK
            }
        }
        if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
        return result.bytesConsumed();
    }

    /**
     * Writes what {@link #netOut} holds to the socket, as far as it takes it.
     *
     * @return {@code true} if nothing is held any more
     */
    private boolean flushHeld() throws IOException {
        while (netOut.hasRemaining()) {
            if (socket.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        if (!target.hasRemaining()) {
            return 0;
        }
        synchronized (inLock) {
            while (true) {
                if (appIn.hasRemaining()) {
                    int n = Math.min(appIn.remaining(), target.remaining());
                    target.put(target.position(), appIn, appIn.position(), n);
                    target.position(target.position() + n);
                    appIn.position(appIn.position() + n);
                    return n;
                }
                if (inputEnded) {
                    return -1;
                }
                SSLEngineResult.Status status = unwrap();
                if (status == SSLEngineResult.Status.CLOSED) {
                    inputEnded = true;
                } else if (afterUnwrap == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    answer();
                    afterUnwrap = engine.getHandshakeStatus();
                } else if (status == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    int n = socket.read(netIn);
                    if (n < 0) {
                        inputEnded = true;
                    } else if (n == 0) {
                        return 0; // non-blocking, and no whole record has come
                    }
                }
            }
        }
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (!socket.isOpen()) {
            throw new ClosedChannelException();
        }
        synchronized (outLock) {
            int taken = 0;
            while (flushHeld() && source.hasRemaining()) {
                taken += wrap(source);
            }
            return taken;
        }
    }

    /** Package access for tests: the session's protocol and cipher suite, as "protocol suite". */
    String session() {
        return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
    }

    @Override
    public SelectableChannel transport() {
        return socket;
    }

    @Override
    public boolean hasBufferedInput() {
        synchronized (inLock) {
            if (appIn.hasRemaining() || inputEnded) {
                return true;
            }
            int held = netIn.position();
            return held >= RECORD_HEADER
                    && held >= RECORD_HEADER + ((netIn.get(3) & 0xff) << 8 | netIn.get(4) & 0xff);
        }
    }

    @Override
    public boolean hasPendingOutput() {
        synchronized (outLock) {
            return netOut.hasRemaining();
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket: the peer sees the connection end, and a blocked read or write here ends. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        try {
            return "TLS channel to " + socket.getRemoteAddress();
        } catch (IOException e) {
            return "TLS channel, closed";
        }
    }
}
