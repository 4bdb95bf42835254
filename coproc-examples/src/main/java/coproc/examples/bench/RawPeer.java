package coproc.examples.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The baseline's worker: a bare JVM that connects back over a Unix domain socket (or over
 * loopback TCP, or TLS) and does the same work as a coproc worker, with raw bytes and no
 * messenger.
 *
 * <p>Usage: {@code RawPeer <socket> <mode> [args]}, where socket is a Unix socket's path,
 * {@code tcp:<host>:<port>} or {@code tls:<SHA-256 of the host's certificate, hex>:<host>:<port>}
 * (TLS 1.3 with the JDK's own client, trusting only that certificate, as a coproc worker that
 * connects over TLS does; {@code connect} mode only), and mode is
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
        if (args[0].startsWith("tls:")) {
            if (!"connect".equals(args[1])) {
                throw new IllegalArgumentException("over TLS only connect mode: " + args[1]);
            }
            connectOverTls(args[0].substring("tls:".length()));
            return;
        }
        try (SocketChannel channel = connect(args[0])) {
            switch (args[1]) {
                case "connect" -> write(channel, ByteBuffer.wrap(new byte[] {1}));
                case "echo" -> echo(channel, Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
                case "sink" -> sink(channel, Long.parseLong(args[2]));
                default -> throw new IllegalArgumentException("unknown mode " + args[1]);
            }
        }
    }

    /** How long the TLS connection and its handshake may take. */
    private static final int TLS_TIMEOUT_MILLIS = 30_000;

    /** Connects over TLS 1.3, pinning the host's certificate, and writes one byte. */
    private static void connectOverTls(String spec) throws IOException {
        int first = spec.indexOf(':');
        int last = spec.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("not <sha256 hex>:<host>:<port>: " + spec);
        }
        byte[] pinned = HexFormat.of().parseHex(spec.substring(0, first));
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {new PinnedCertificate(pinned)}, null);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(spec.substring(first + 1, last),
                    Integer.parseInt(spec.substring(last + 1))), TLS_TIMEOUT_MILLIS);
            socket.setSoTimeout(TLS_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(1);
            out.flush();
        }
    }

    /** Trusts one server certificate, by its SHA-256, and no client. */
    private static final class PinnedCertificate implements X509TrustManager {

        private final byte[] sha256;

        PinnedCertificate(byte[] sha256) {
            this.sha256 = sha256;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate");
            }
            try {
                if (!MessageDigest.isEqual(sha256, MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()))) {
                    throw new CertificateException("not the pinned certificate");
                }
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client is never trusted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
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
