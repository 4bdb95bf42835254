package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.PipeClosedException;
import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A messenger over a channel that cannot be selected (a transport of one's own): only its
 * reader thread reads, with blocking reads, and receives wait on the inbox.
 */
@Timeout(60)
class BlockingChannelTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** A blocking byte channel that hides the socket channel it wraps, so it is not selectable. */
    private record Plain(SocketChannel socket) implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return socket.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return socket.write(src);
        }

        @Override
        public boolean isOpen() {
            return socket.isOpen();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static PipeMessenger[] openPair(MessengerKind kind) throws Exception {
        SocketChannel[] ends = PipeConnector.socketPair();
        CompletableFuture<PipeMessenger> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return PipeMessenger.accept(kind, new Plain(ends[1]), MessengerOptions.defaults());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        PipeMessenger opened = PipeMessenger.open(kind, new Plain(ends[0]), MessengerOptions.defaults());
        return new PipeMessenger[] {opened, accepting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)};
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldCarryMessagesBothWaysAndInOrderOverABlockingChannel(MessengerKind kind) throws Exception {
        PipeMessenger[] pair = openPair(kind);
        try (PipeMessenger worker = pair[0]; PipeMessenger host = pair[1]) {
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                host.sendNoRequest(i, "numbers");
                sent.add(i);
            }
            host.sendRequest("ping");
            assertEquals("ping", worker.receiveBlocking(PATIENCE));
            worker.sendReply("pong");
            assertEquals("pong", host.receiveBlocking(PATIENCE));

            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                got.add(worker.receiveBlocking("numbers", PATIENCE));
            }
            assertEquals(sent, got);
            assertFalse(worker.awaitAvailable(Duration.ZERO), "nothing more arrived");
        }
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldTimeOutThenReceiveWhatArrivesLaterOverABlockingChannel(MessengerKind kind) throws Exception {
        PipeMessenger[] pair = openPair(kind);
        try (PipeMessenger worker = pair[0]; PipeMessenger host = pair[1]) {
            assertThrows(TimeoutException.class, () -> worker.receiveBlocking(Duration.ofMillis(50)));

            host.sendNoRequest("later");
            assertTrue(worker.awaitAvailable(PATIENCE));
            assertEquals("later", worker.receiveBlocking(PATIENCE));
        }
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldSeeACloseRequestAndThenThePeersEndOverABlockingChannel(MessengerKind kind) throws Exception {
        PipeMessenger[] pair = openPair(kind);
        try (PipeMessenger worker = pair[0]; PipeMessenger host = pair[1]) {
            host.sendNoRequest("last");
            assertEquals("last", worker.receiveBlocking(PATIENCE));
            host.sendCloseRequest();
            host.close();

            assertThrows(ResourceRequestedCloseException.class, () -> worker.receiveBlocking(PATIENCE));
            assertThrows(PipeClosedException.class, () -> worker.receiveBlocking(PATIENCE));
            assertFalse(worker.isClosed(), "the peer's end does not close this side");
        }
    }
}
