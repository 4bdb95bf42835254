package coproc.worker.internal.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.PipeClosedException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.PipeConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS channel on its own, in this JVM, over loopback TCP: the handshake, the pipe over it
 * once the socket is non-blocking (records split across reads, many records in one read, a
 * full socket), and its end.
 */
@Timeout(60)
class TlsChannelTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final MessengerOptions OPTIONS = MessengerOptions.defaults().withHandshakeTimeout(PATIENCE)
            .withMaxFrameLength(8 << 20);

    /** Both ends of a TLS connection over loopback: the server's, then the client's. */
    private static TlsChannel[] connectedPair() throws Exception {
        TlsIdentity identity = TlsIdentity.current();
        try (ServerSocketChannel server = TlsServer.bind(InetAddress.getLoopbackAddress(), 0, 0)) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            CompletableFuture<TlsChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return TlsServer.secure(server.accept(), identity, deadline);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TlsChannel client = TlsClient.connect("127.0.0.1:" + port, identity.fingerprint().get(), PATIENCE);
            return new TlsChannel[] {accepted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), client};
        }
    }

    /** Messengers over both ends: the accepting one, then the connecting one. */
    private static PipeMessenger[] messengers() throws Exception {
        TlsChannel[] channels = connectedPair();
        CompletableFuture<PipeMessenger> host = CompletableFuture.supplyAsync(() -> {
            try {
                return MessengerAccess.bridge().create(MessengerKind.PRIORITY,
                        PipeConnector.accept(channels[0], OPTIONS, null));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        PipeMessenger worker = MessengerAccess.bridge().create(MessengerKind.PRIORITY,
                PipeConnector.open(channels[1], OPTIONS, null));
        return new PipeMessenger[] {host.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), worker};
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void shouldSpeakTls13WithTheHostsPreferredCipherSuite() throws Exception {
        TlsChannel[] pair = connectedPair();
        try (TlsChannel server = pair[0]; TlsChannel client = pair[1]) {
            assertEquals("TLSv1.3 " + TlsIdentity.CIPHER_SUITES[0], server.session());
            assertEquals(server.session(), client.session());
        }
    }

    @Test
    void shouldCarryBlockingReadsAndWritesOfAnySizeAfterTheHandshake() throws Exception {
        TlsChannel[] pair = connectedPair();
        try (TlsChannel server = pair[0]; TlsChannel client = pair[1]) {
            byte[] sent = bytes(new Random(1), 100_000); // several records
            ByteBuffer out = ByteBuffer.wrap(sent);
            assertEquals(sent.length, client.write(out), "a blocking write takes everything");
            ByteBuffer in = ByteBuffer.allocate(sent.length);
            while (in.hasRemaining()) {
                assertTrue(server.read(in) > 0, "a blocking read returns bytes");
            }
            assertArrayEquals(sent, in.array());
            assertFalse(server.hasBufferedInput(), "everything read");
            assertFalse(client.hasPendingOutput(), "everything written");
        }
    }

    @Test
    void shouldNeverHideInputFromBothTheSelectorAndItsOwnReport() throws Exception {
        TlsChannel[] pair = connectedPair();
        try (TlsChannel server = pair[0]; TlsChannel client = pair[1]; Selector selector = Selector.open()) {
            server.transport().configureBlocking(false);
            server.transport().register(selector, SelectionKey.OP_READ);
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            client.write(ByteBuffer.wrap(new byte[] {4, 5})); // a second record

            ByteBuffer first = ByteBuffer.allocate(1);
            await().atMost(PATIENCE).until(() -> server.read(first) == 1);
            assertTrue(server.hasBufferedInput(), "two decoded bytes are held, which no selector sees");
            ByteBuffer rest = ByteBuffer.allocate(2);
            assertEquals(2, server.read(rest));
            // The second record is in the channel's buffer or still in the socket: one of them must say so.
            await().atMost(PATIENCE).until(() -> server.hasBufferedInput() || selector.selectNow() > 0);
            ByteBuffer second = ByteBuffer.allocate(2);
            await().atMost(PATIENCE).until(() -> server.read(second) >= 0 && !second.hasRemaining());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, new byte[] {first.get(0), rest.get(0), rest.get(1),
                    second.get(0), second.get(1)});
            assertEquals(0, server.read(ByteBuffer.allocate(1)), "non-blocking: nothing more for now");
            assertFalse(server.hasBufferedInput(), "nothing held");
        }
    }

    @Test
    void shouldHoldWhatAFullSocketDidNotTakeAndPassItOnWithLaterWrites() throws Exception {
        TlsChannel[] pair = connectedPair();
        try (TlsChannel server = pair[0]; TlsChannel client = pair[1]) {
            client.transport().configureBlocking(false);
            byte[] chunk = bytes(new Random(3), 50_000);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            // Nobody reads: the socket fills, and the channel holds the record that did not fit.
            while (!client.hasPendingOutput()) {
                ByteBuffer out = ByteBuffer.wrap(chunk);
                int taken = client.write(out);
                sent.write(chunk, 0, taken);
            }
            assertEquals(0, client.write(ByteBuffer.wrap(chunk)), "a full socket takes nothing new");

            byte[] expected = sent.toByteArray();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                ByteBuffer in = ByteBuffer.allocate(expected.length);
                try {
                    while (in.hasRemaining()) {
                        server.read(in);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return in.array();
            });
            // Writes of nothing pass the held bytes on once the reader makes room.
            await().atMost(PATIENCE).until(() -> client.write(ByteBuffer.allocate(0)) == 0 && !client.hasPendingOutput());
            assertArrayEquals(expected, received.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldCarryBurstsBothWaysThroughAFullSocketOverAPipe() throws Exception {
        PipeMessenger[] pair = messengers();
        try (PipeMessenger host = pair[0]; PipeMessenger worker = pair[1]) {
            Random random = new Random(7);
            int count = 200;
            byte[][] payloads = new byte[count][];
            for (int i = 0; i < count; i++) {
                payloads[i] = bytes(random, i % 10 == 0 ? 1 << 20 : random.nextInt(40_000)); // MiBs: the socket fills
            }
            // Both send everything before either receives: writes must wait for room and go on.
            CompletableFuture<Void> hostSends = CompletableFuture.runAsync(() -> {
                for (byte[] payload : payloads) {
                    host.sendNoRequest(payload);
                }
                host.flush();
            });
            for (byte[] payload : payloads) {
                worker.sendNoRequest(payload);
            }
            worker.flush();
            for (int i = 0; i < count; i++) {
                assertArrayEquals(payloads[i], (byte[]) worker.receiveBlocking(PATIENCE), "message " + i + " to the worker");
                assertArrayEquals(payloads[i], (byte[]) host.receiveBlocking(PATIENCE), "message " + i + " to the host");
            }
            hostSends.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAnswerRoundTripsWithTheReceiveWaitingOnTheSocket() throws Exception {
        PipeMessenger[] pair = messengers();
        try (PipeMessenger host = pair[0]; PipeMessenger worker = pair[1]) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000; i++) {
                    worker.sendReply(worker.receiveBlocking());
                }
            });
            for (int i = 0; i < 2_000; i++) {
                host.sendRequest(i);
                assertEquals(Integer.valueOf(i), host.receiveBlocking(PATIENCE));
            }
            echo.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldEndTheOtherSidesReceiveWhenOneSideCloses() throws Exception {
        PipeMessenger[] pair = messengers();
        try (PipeMessenger host = pair[0]; PipeMessenger worker = pair[1]) {
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> host.receiveBlocking());
            worker.close();
            Exception end = assertThrows(Exception.class, () -> waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(end.getCause() instanceof PipeClosedException, end::toString);
        }
    }

    @Test
    void shouldGiveUpAHandshakeThatThePeerNeverAnswersByItsDeadline() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return silent.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThrows(SocketTimeoutException.class,
                    () -> TlsClient.connect("127.0.0.1:" + port, new byte[32], Duration.ofMillis(300)));
            accepted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).close();
        }
    }
}
