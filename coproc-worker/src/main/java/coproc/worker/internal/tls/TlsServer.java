package coproc.worker.internal.tls;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLEngine;

/**
 * The host's end of the TLS transport: binds a TCP port in a range, and turns an accepted
 * connection into a TLS 1.3 channel that presents this run's certificate. The worker is not
 * asked for a certificate: it proves itself with its secret, inside the channel. Stateless.
 */
public final class TlsServer {

    private TlsServer() {
    }

    /**
     * Binds a server socket on an address, to the first free port of a range.
     *
     * @param address the address to listen on
     * @param firstPort the range's first port; 0 for a port the system chooses
     * @param lastPort the range's last port (ignored when {@code firstPort} is 0)
     * @return the bound socket
     * @throws IOException if no port of the range is free, naming the range and the fix
     */
    public static ServerSocketChannel bind(InetAddress address, int firstPort, int lastPort) throws IOException {
        BindException last = null;
        for (int port = firstPort; port <= Math.max(firstPort, lastPort); port++) {
            ServerSocketChannel server = ServerSocketChannel.open();
            try {
                server.bind(new InetSocketAddress(address, port), 16);
                return server;
            } catch (BindException e) {
                server.close();
                last = e;
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
        throw new IOException("No free port to listen for workers on " + address.getHostAddress() + " in " + firstPort
                + "-" + lastPort + " (" + (last == null ? "empty range" : last.getMessage()) + "): widen the launcher's"
                + " port range, or give 0 for any port", last);
    }

    /**
     * Runs the TLS handshake of an accepted connection as the server, by a deadline.
     *
     * @param connection the accepted TCP connection, blocking; closed by the caller if this fails
     * @param identity this run's identity
     * @param deadline the {@link System#nanoTime()} by which the handshake must be done
     * @return the channel, blocking
     * @throws IOException if the handshake fails or times out
     */
    public static TlsChannel secure(SocketChannel connection, TlsIdentity identity, long deadline) throws IOException {
        try {
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SSLEngine engine = TlsIdentity.configure(identity.context(deadline).createSSLEngine(), false);
            return TlsChannel.handshake(connection, engine, deadline);
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
