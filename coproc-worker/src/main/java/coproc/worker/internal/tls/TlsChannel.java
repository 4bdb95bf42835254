package coproc.worker.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLSocket;

/**
 * A connected TLS socket as a blocking {@link ByteChannel}, the kind a pipe runs over: a read
 * blocks until the socket has bytes and returns what it has, a write writes everything. One
 * thread may read while another writes; {@link #close()} may come from any thread and ends a
 * blocked read or write with an {@link AsynchronousCloseException}.
 */
public final class TlsChannel implements ByteChannel {

    private final SSLSocket socket;
    private final Socket plain;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean open = true;

    /**
     * Wraps a TLS socket whose handshake is done.
     *
     * @param socket the TLS socket
     * @param plain the TCP socket it is layered on
     * @throws IOException if its streams cannot be had
     */
    public TlsChannel(SSLSocket socket, Socket plain) throws IOException {
        this.socket = socket;
        this.plain = plain;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!target.hasRemaining()) {
            return 0;
        }
        try {
            int n;
            if (target.hasArray()) {
                n = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
                if (n > 0) {
                    target.position(target.position() + n);
                }
            } else {
                byte[] bytes = new byte[Math.min(target.remaining(), 16 * 1024)];
                n = in.read(bytes);
                if (n > 0) {
                    target.put(bytes, 0, n);
                }
            }
            return n;
        } catch (IOException e) {
            throw closedOr(e);
        }
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int n = source.remaining();
        try {
            if (source.hasArray()) {
                out.write(source.array(), source.arrayOffset() + source.position(), n);
                source.position(source.limit());
            } else {
                byte[] bytes = new byte[n];
                source.get(bytes);
                out.write(bytes);
            }
            return n;
        } catch (IOException e) {
            throw closedOr(e);
        }
    }

    private IOException closedOr(IOException e) {
        if (!open) {
            AsynchronousCloseException closed = new AsynchronousCloseException();
            closed.initCause(e);
            return closed;
        }
        return e;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /**
     * Closes the connection. The TCP socket is closed first, so that a read or write blocked in
     * another thread ends at once; the peer sees the connection end.
     */
    @Override
    public void close() throws IOException {
        open = false;
        try {
            plain.close();
        } finally {
            socket.close();
        }
    }

    @Override
    public String toString() {
        return "TLS channel to " + plain.getRemoteSocketAddress();
    }
}
