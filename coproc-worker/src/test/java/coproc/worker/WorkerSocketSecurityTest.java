package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.JvmLauncherProvider;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The worker's socket: a process that connects without the secret is refused and changes
 * nothing; the secret never appears on the worker's command line; the socket file is gone
 * once the worker has connected.
 */
class WorkerSocketSecurityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    /**
     * Wraps the real jvm launcher and remembers the spec; given an intrusion, it first connects
     * to the socket as an intruder would and writes the intrusion.
     */
    private static final class IntrudingLauncher implements Launcher {

        private final Launcher real = new JvmLauncherProvider().create();
        private final byte[] intrusion;
        volatile LaunchSpec spec;
        volatile SocketChannel intruder;

        IntrudingLauncher(byte[] intrusion) {
            this.intrusion = intrusion;
        }

        @Override
        public WorkerProcess launch(LaunchSpec spec) throws IOException {
            this.spec = spec;
            if (intrusion == null) {
                return real.launch(spec);
            }
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(spec.settings().get("COPROC_SOCKET")));
            channel.write(ByteBuffer.wrap(intrusion));
            intruder = channel;
            return real.launch(spec);
        }
    }

    /** Reads what the host sends the intruder until the host closes the connection. */
    private static byte[] readUntilClosed(SocketChannel channel) {
        ByteBuffer received = ByteBuffer.allocate(64 * 1024);
        try {
            while (channel.read(received) >= 0) {
                if (!received.hasRemaining()) {
                    throw new AssertionError("the host keeps talking to an intruder");
                }
            }
        } catch (IOException reset) {
            // refused by a reset: closed as well
        }
        return Arrays.copyOf(received.array(), received.position());
    }

    static List<byte[]> intrusions() {
        return List.of("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                // a frame that claims to be a coproc hello but is not one
                ByteBuffer.allocate(16).putInt(12).put((byte) 1).putInt(0xC0C0C0C0).putInt(7).array(),
                // the start of a frame that never ends
                ByteBuffer.allocate(6).putInt(40).put((byte) 1).put((byte) 0).array(),
                // nothing at all: connects and stays silent
                new byte[0]);
    }

    @Test
    void shouldRefuseAConnectionWithoutTheSecretAndStillConnectTheWorker() throws Exception {
        // Far shorter than the default start timeout, far longer than a worker needs to connect.
        WorkerOptions options = WorkerOptions.defaults().withStartTimeout(Duration.ofSeconds(15));
        for (byte[] intrusion : intrusions()) {
            IntrudingLauncher launcher = new IntrudingLauncher(intrusion);
            try (var worker = new WorkerResource<Void>(WorkerSocketSecurityTest::echo, options, launcher).start();
                    SocketChannel intruder = launcher.intruder) {
                // The worker's own connection works.
                worker.messenger().sendRequest("still mine");
                assertEquals("still mine", worker.messenger().receiveBlocking(PATIENCE));

                // The intruder was refused: the host closed its connection.
                assertNotNull(intruder);
                assertTimeoutPreemptively(PATIENCE, () -> readUntilClosed(intruder));

                // And the worker still works after the refusal.
                worker.messenger().sendRequest("after the intruder");
                assertEquals("after the intruder", worker.messenger().receiveBlocking(PATIENCE));
            }
        }
    }

    @Test
    void shouldNotRevealTheSecretToAConnectionThatHasNotPresentedIt() throws Exception {
        IntrudingLauncher launcher = new IntrudingLauncher(intrusions().get(0));
        try (var worker = new WorkerResource<Void>(WorkerSocketSecurityTest::echo, WorkerOptions.defaults(),
                launcher).start(); SocketChannel intruder = launcher.intruder) {
            byte[] received = assertTimeoutPreemptively(PATIENCE, () -> readUntilClosed(intruder));

            HexFormat hex = HexFormat.of();
            String secret = hex.formatHex(Base64.getDecoder().decode(launcher.spec.settings().get("COPROC_SECRET")));
            assertFalse(hex.formatHex(received).contains(secret), "the host sent its secret to an intruder");
        }
    }

    @Test
    void shouldKeepTheSecretOffTheCommandLineAndRemoveTheSocketFile() throws Exception {
        IntrudingLauncher launcher = new IntrudingLauncher(null);
        try (var worker = new WorkerResource<Void>(WorkerSocketSecurityTest::echo, WorkerOptions.defaults(),
                launcher).start()) {
            String secret = launcher.spec.settings().get("COPROC_SECRET");
            Path socket = Path.of(launcher.spec.settings().get("COPROC_SOCKET"));
            assertNotNull(secret);
            assertTrue(secret.length() >= 32, "a secret of some length: " + secret.length());

            ProcessHandle.Info info = ProcessHandle.of(worker.pid().orElseThrow()).orElseThrow().info();
            Optional<String> commandLine = info.commandLine();
            Optional<String[]> arguments = info.arguments();
            assertTrue(commandLine.isPresent() || arguments.isPresent(), "the OS shows the worker's command line");
            commandLine.ifPresent(line -> {
                assertTrue(line.contains("coproc.worker.internal.WorkerMain"), line);
                assertFalse(line.contains(secret), line);
            });
            arguments.ifPresent(args -> assertTrue(Arrays.stream(args).noneMatch(arg -> arg.contains(secret)),
                    String.join(" ", args)));

            assertFalse(Files.exists(socket), "socket file " + socket + " left behind");
            assertFalse(Files.exists(socket.getParent()), "socket directory " + socket.getParent() + " left behind");

            worker.messenger().sendRequest("works");
            assertEquals("works", worker.messenger().receiveBlocking(PATIENCE));
        }
    }
}
