package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Message;
import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The timeout variants: {@code receiveBlocking(Duration)} throws {@link TimeoutException} and
 * pops nothing; {@code awaitAvailable(Duration)} returns {@code false} on timeout and
 * {@code true} once something arrived.
 */
@Timeout(30)
class TimeoutTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowTimeoutFromATimedReceiveWhenNothingCame(MessengerKind kind, String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            TimeoutException e = assertThrows(TimeoutException.class, () -> worker.receiveBlocking(SHORT));
            assertEquals("No message on channel null within PT0.1S", e.getMessage());
            assertThrows(TimeoutException.class, () -> worker.receiveMessageBlocking("a", SHORT));
            assertThrows(TimeoutException.class, () -> worker.receiveBlocking(Duration.ZERO));
            assertThrows(TimeoutException.class, () -> worker.receiveBlocking(Duration.ofSeconds(-1)));
            assertFalse(worker.isClosed(), "a timeout does not harm the messenger");

            pair.host().sendNoRequest("late");
            assertEquals("late", worker.receiveBlocking(PATIENCE));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldPopNothingWhenATimedReceiveTimesOutWhileAnotherChannelHasMessages(MessengerKind kind,
            String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            pair.host().sendReply("for channel b", "b");
            await().atMost(PATIENCE).until(() -> worker.available("b") == 1);

            TimeoutException e = assertThrows(TimeoutException.class, () -> worker.receiveBlocking("a", SHORT));
            assertEquals("No message on channel a within PT0.1S", e.getMessage());

            assertEquals(1, worker.available("b"));
            assertEquals(0, worker.messagesReceived("b"));
            assertEquals(0, worker.messagesReceived("a"));
            assertEquals(0, worker.repliesReceived("b"));
            assertEquals(new Message<>("for channel b", "b", false, true, Double.NEGATIVE_INFINITY),
                    worker.receiveMessageBlocking("b", Duration.ZERO));
            assertEquals(1, worker.repliesReceived("b"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReturnFromATimedReceiveAsSoonAsItsMessageArrives(MessengerKind kind, String serializer)
            throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            CompletableFuture<String> receiving = CompletableFuture.supplyAsync(() -> {
                try {
                    return pair.worker().receiveBlocking("c", PATIENCE);
                } catch (TimeoutException e) {
                    throw new AssertionError(e);
                }
            });
            pair.host().sendNoRequest("noise on another channel", "d");
            pair.host().sendNoRequest("awaited", "c");
            assertEquals("awaited", receiving.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("noise on another channel"), pair.worker().receiveAvailable("d"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReturnFalseFromAwaitAvailableOnTimeoutAndTrueOnceSomethingArrived(MessengerKind kind,
            String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            assertFalse(worker.awaitAvailable(SHORT));
            assertFalse(worker.awaitAvailable(Duration.ZERO));

            pair.host().sendNoRequest("something", "c");
            assertTrue(worker.awaitAvailable(PATIENCE));
            assertEquals(1, worker.queueSize("c"), "awaitAvailable queued what arrived");
            assertFalse(worker.awaitAvailable(SHORT), "nothing new arrived");
            assertEquals(1, worker.queueSize("c"), "and nothing was popped");

            CompletableFuture<Void> waiting = CompletableFuture.runAsync(worker::awaitAvailable);
            pair.host().sendNoRequest("more", "c");
            waiting.get(10, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> worker.available("c") == 2);
            assertEquals(List.of("something", "more"), worker.receiveAvailable("c"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowASystemMessageFromAwaitAvailable(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.host().sendCloseRequest();
            assertThrows(ResourceRequestedCloseException.class, () -> pair.worker().awaitAvailable(PATIENCE));
            pair.host().sendError(new IllegalStateException("boom"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pair.worker().awaitAvailable());
            assertEquals("boom", e.getMessage());
        }
    }
}
