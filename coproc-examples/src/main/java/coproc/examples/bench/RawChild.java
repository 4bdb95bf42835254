package coproc.examples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A bare child JVM connected back over a Unix domain socket, or loopback TCP: the baseline's worker
 * ({@link #tlsConnect} times one that connects back over TLS).
 *
 * @param process the child
 * @param channel the host's end of its connection
 * @param dir the private directory of its Unix socket, or {@code null} over TCP
 */
record RawChild(Process process, SocketChannel channel, Path dir) implements AutoCloseable {

    static RawChild start(String... args) throws IOException {
        return startWith(Path.of(System.getProperty("java.home"), "bin", "java"), args);
    }

    /** As {@link #start}, with another {@code java}. */
    static RawChild startWith(Path java, String... args) throws IOException {
        return start(java, List.of(), false, socket -> socket, args);
    }

    /** As {@link #start}, under a command such as {@code taskset -c 1}. */
    static RawChild startUnder(List<String> prefix, String... args) throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), prefix, false, socket -> socket, args);
    }

    /** As {@link #startUnder}, connected back over loopback TCP. */
    static RawChild startTcpUnder(List<String> prefix, String... args) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<String> command = new ArrayList<>(prefix);
            command.addAll(peerCommand(Path.of(System.getProperty("java.home"), "bin", "java"),
                    "tcp:127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort(), args));
            Process process = new ProcessBuilder(command).inheritIO().start();
            SocketChannel channel = server.accept();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new RawChild(process, channel, null);
        }
    }

    /**
     * Milliseconds from launching a bare child JVM that connects back over TLS 1.3 (the JDK's own
     * client, pinning the host's certificate) to the byte it writes once connected; then waits
     * for the child to end (at most 30 s, then kills it).
     *
     * @param tls the host's context, whose certificate the child pins
     * @param fingerprint that certificate's SHA-256
     * @param jvmOptions options for the child's JVM, put before its paths
     * @return the milliseconds
     * @throws IOException if the child ends before it connects (a JVM that cannot start with
     *     these options, say), does not connect or write within 30 s, or the TLS handshake fails
     * @throws InterruptedException if interrupted while waiting for the child to end
     */
    static double tlsConnect(SSLContext tls, byte[] fingerprint, List<String> jvmOptions)
            throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 1,
                loopback)) {
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            List<String> command = peerCommand(Path.of(System.getProperty("java.home"), "bin", "java"), "tls:"
                    + HexFormat.of().formatHex(fingerprint) + ":" + loopback.getHostAddress() + ":"
                    + server.getLocalPort(), "connect");
            command.addAll(1, jvmOptions);
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(command).inheritIO().start();
            try (Socket peer = accept(server, process)) {
                peer.setSoTimeout(TLS_CHILD_MILLIS);
                if (peer.getInputStream().read() != 1) {
                    throw new IOException("the TLS child ended without writing its byte");
                }
                return (System.nanoTime() - t0) / 1e6;
            } finally {
                if (!process.waitFor(TLS_CHILD_MILLIS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** How long the TLS child may take to connect, to write its byte, and to end. */
    private static final int TLS_CHILD_MILLIS = 30_000;

    /** The child's connection, once it comes; fails as soon as the child has ended without it. */
    private static Socket accept(SSLServerSocket server, Process child) throws IOException {
        server.setSoTimeout(100); // only while nothing comes: a connection is accepted at once
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TLS_CHILD_MILLIS);
        while (true) {
            try {
                return server.accept();
            } catch (SocketTimeoutException e) {
                if (!child.isAlive()) {
                    throw new IOException("the TLS child ended (exit code " + child.exitValue()
                            + ") before it connected");
                }
                if (System.nanoTime() - giveUp > 0) {
                    throw new IOException("the TLS child did not connect within " + TLS_CHILD_MILLIS + " ms");
                }
            }
        }
    }

    /** {@code java} running {@link RawPeer} with these arguments, from this JVM's module or class path. */
    private static List<String> peerCommand(Path java, String socket, String... args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            command.addAll(List.of("-p", modulePath, "-m", "coproc.examples/" + RawPeer.class.getName()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RawPeer.class.getName()));
        }
        command.add(socket);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts the peer through a command prefix (an {@code ssh ... -R remote:local host}, say),
     * telling it the socket path {@code remote} makes of the local one.
     */
    static RawChild start(List<String> prefix, UnaryOperator<Path> remote, String... args) throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), prefix, true, remote, args);
    }

    /** Starts the peer; through a remote shell's command line when {@code shell}, else with the prefix put before java. */
    private static RawChild start(Path java, List<String> prefix, boolean shell, UnaryOperator<Path> remote,
            String... args) throws IOException {
        Path dir = Files.createTempDirectory("coproc-bench", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path socket = dir.resolve("raw.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            List<String> command = peerCommand(java, remote.apply(socket).toString(), args);
            if (!shell) {
                command.addAll(0, prefix);
            } else if (!prefix.isEmpty()) {
                List<String> quoted = new ArrayList<>(prefix);
                quoted.add("cd '" + Path.of("").toAbsolutePath() + "' && "
                        + String.join(" ", command.stream().map(word -> "'" + word + "'").toList()));
                command = quoted;
            }
            Process process = new ProcessBuilder(command).inheritIO().start();
            SocketChannel channel = server.accept();
            return new RawChild(process, channel, dir);
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }
}
