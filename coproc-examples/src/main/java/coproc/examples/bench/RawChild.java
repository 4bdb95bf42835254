package coproc.examples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A bare child JVM connected back over a Unix domain socket, or loopback TCP: the baseline's worker.
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
