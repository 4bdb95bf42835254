package coproc.worker.internal.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;

/**
 * The worker's end of the TLS transport: connects to its host and trusts only the certificate
 * whose fingerprint it was given ({@link PinnedTrust}). Stateless and thread-safe.
 */
public final class TlsClient {

    private TlsClient() {
    }

    /**
     * Loads and runs once what a TLS client needs (the provider, a key share, a client hello),
     * so that the real connection, made soon after, does not pay for it. For a thread of its
     * own while the JVM does other things; never fails.
     */
    public static void warmUp() {
        try {
            SSLEngine engine = TlsIdentity.configure(context(new byte[32]).createSSLEngine(), true);
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            // only a head start: the connection itself reports what is wrong
        }
    }

    /**
     * Connects to the host and runs the TLS handshake.
     *
     * @param address the host's {@code host:port} ({@code [v6-address]:port} for IPv6)
     * @param fingerprint the SHA-256 of the host's certificate
     * @param timeout how long the connection and the handshake may take
     * @return the channel, blocking
     * @throws IOException if the host cannot be reached, or its certificate is not the pinned
     *     one ({@link javax.net.ssl.SSLHandshakeException})
     */
    public static TlsChannel connect(String address, byte[] fingerprint, Duration timeout) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException("Not a host:port address: '" + address + "'");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1));
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel plain = SocketChannel.open();
        try {
            plain.setOption(StandardSocketOptions.TCP_NODELAY, true);
            plain.socket().connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            SSLEngine engine = TlsIdentity.configure(context(fingerprint).createSSLEngine(host, port), true);
            return TlsChannel.handshake(plain, engine, deadline);
        } catch (GeneralSecurityException e) {
            plain.close();
            throw new IOException("Could not make a TLS context: " + e, e);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLContext context(byte[] fingerprint) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance(TlsIdentity.PROTOCOL);
        context.init(null, new TrustManager[] {new PinnedTrust(fingerprint)}, null);
        return context;
    }
}
