package coproc.worker.internal;

import coproc.messenger.internal.Closeables;
import coproc.worker.internal.tls.TlsIdentity;
import coproc.worker.internal.tls.TlsServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * Listens for one worker's connection on a TCP port, with TLS 1.3: the worker finds the host
 * at {@link Bootstrap#TLS_ADDRESS} and pins this run's certificate ({@link TlsIdentity}). A
 * connection that does not complete the TLS handshake by the start's deadline is closed;
 * one that does, but does not present the worker's secret, is closed by
 * {@link WorkerAcceptor} before the host has said anything of its own.
 */
final class TlsListener implements WorkerListener {

    private final ServerSocketChannel server;
    private final TlsIdentity identity;
    private final String address;

    private TlsListener(ServerSocketChannel server, TlsIdentity identity, String address) {
        this.server = server;
        this.identity = identity;
        this.address = address;
    }

    /**
     * Binds a port, and starts making this run's TLS identity if it is not made yet.
     *
     * @param address the address to listen on, which workers connect to
     * @param firstPort the first port of the range; 0 for any
     * @param lastPort the last port of the range
     * @return the listener
     * @throws IOException if no port of the range is free
     * @throws IllegalStateException if this runtime has no {@code keytool}, saying what to do
     */
    static TlsListener open(InetAddress address, int firstPort, int lastPort) throws IOException {
        TlsIdentity identity = TlsIdentity.current();
        ServerSocketChannel server = TlsServer.bind(address, firstPort, lastPort);
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return new TlsListener(server, identity, host + ":" + ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    /** {@return this run's identity, whose fingerprint the worker must be given} */
    TlsIdentity identity() {
        return identity;
    }

    @Override
    public Map<String, String> settings() {
        return Map.of(Bootstrap.TLS_ADDRESS, address);
    }

    @Override
    public SocketChannel accept() throws IOException {
        return server.accept();
    }

    @Override
    public ByteChannel channel(Closeable connection, long deadline) throws IOException {
        return TlsServer.secure((SocketChannel) connection, identity, deadline);
    }

    @Override
    public void close() {
        Closeables.closeQuietly(server);
    }

    @Override
    public String toString() {
        return "TLS listener on " + address;
    }
}
