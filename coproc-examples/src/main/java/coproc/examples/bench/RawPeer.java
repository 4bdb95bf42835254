package coproc.examples.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The baseline's worker: a bare JVM that connects back over a Unix domain socket (or over
 * loopback TCP) and does the same work as a coproc worker, with raw bytes and no messenger.
 *
 * <p>Usage: {@code RawPeer <socket> <mode> [args]}, where socket is a Unix socket's path or
 * {@code tcp:<host>:<port>}, and mode is
 * {@code connect} (write one byte and exit), {@code echo <size> <yield>} (echo fixed-size
 * messages; poll with {@code Thread.yield()} for up to 50 µs before blocking when yield is {@code true}), or
 * {@code sink <total>} (read {@code total} bytes, then write one byte).
 */
public final class RawPeer {

    private RawPeer() {
    }

    /**
     * Runs the peer.
     *
     * @param args the socket, the mode and its arguments
     * @throws IOException if the socket fails
     */
    public static void main(String[] args) throws IOException {
        try (SocketChannel channel = connect(args[0])) {
            switch (args[1]) {
                case "connect" -> write(channel, ByteBuffer.wrap(new byte[] {1}));
                case "echo" -> echo(channel, Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
                case "sink" -> sink(channel, Long.parseLong(args[2]));
                default -> throw new IllegalArgumentException("unknown mode " + args[1]);
            }
        }
    }

    private static SocketChannel connect(String socket) throws IOException {
        if (socket.startsWith("tcp:")) {
            String address = socket.substring("tcp:".length());
            int colon = address.lastIndexOf(':');
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    private static void echo(SocketChannel channel, int size, boolean yield) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        if (yield) {
            channel.configureBlocking(false);
        }
        while (true) {
            buffer.clear();
            if (!read(channel, buffer, yield)) {
                return;
            }
            buffer.flip();
            write(channel, buffer);
        }
    }

    private static void sink(SocketChannel channel, long total) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        long received = 0;
        while (received < total) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                return;
            }
            received += n;
        }
        write(channel, ByteBuffer.wrap(new byte[] {1}));
    }

    /** How long a yield-polling read polls before it blocks: as long as a coproc receive. */
    private static final long POLL_NANOS = 50_000;

    /**
     * Fills the buffer. With {@code yield}, on a non-blocking channel, polls with
     * {@code Thread.yield()} for up to {@value #POLL_NANOS} ns, then blocks, as a coproc receive
     * does: so an idle peer takes no CPU from the figures measured beside it.
     *
     * @return {@code false} at the end of the stream
     */
    static boolean read(SocketChannel channel, ByteBuffer buffer, boolean yield) throws IOException {
        long pollEnd = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                return false;
            }
            if (n == 0 && yield) {
                long now = System.nanoTime();
                if (pollEnd == 0) {
                    pollEnd = now + POLL_NANOS;
                }
                if (now - pollEnd < 0) {
                    Thread.yield();
                } else {
                    channel.configureBlocking(true);
                    try {
                        if (channel.read(buffer) < 0) {
                            return false;
                        }
                    } finally {
                        channel.configureBlocking(false);
                    }
                }
            }
        }
        return true;
    }

    static void write(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
