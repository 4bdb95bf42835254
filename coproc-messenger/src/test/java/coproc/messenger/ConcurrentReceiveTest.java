package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import coproc.api.Messenger;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Receives from several threads: one thread waiting for its channel holds up neither a timed
 * receive of another thread, which returns at its timeout, nor a receive whose message has
 * arrived, which returns at once. (The guards are hang guards, many times the timeouts, not
 * timing expectations: before the fix these calls waited until the other thread's message
 * came, which here is never.)
 */
@Timeout(60)
class ConcurrentReceiveTest {

    /** Far above the timeouts below; a call still blocked then waits on the other thread. */
    private static final Duration GUARD = Duration.ofSeconds(8);

    /** Starts a receive on channel "A" that nothing will be sent to, and waits until it waits. */
    private static CompletableFuture<Object> blockedOnA(Messenger messenger) {
        return waiting(() -> messenger.receiveBlocking("A"));
    }

    /**
     * Starts a receive on a thread of its own, and waits until that receive waits for news
     * (its stack shows it). Also used by {@link SeedMessagingTest}.
     */
    static <T> CompletableFuture<T> waiting(Supplier<T> receive) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread receiving = new Thread(() -> {
            try {
                result.complete(receive.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "test-receive");
        receiving.setDaemon(true);
        receiving.start();
        await().atMost(PATIENCE).until(() -> Arrays.stream(receiving.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("awaitNews")));
        return result;
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldTimeOutATimedReceiveWhileAnotherThreadWaitsOnAnotherChannel(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            CompletableFuture<Object> onA = blockedOnA(pair.worker());

            TimeoutException e = assertTimeoutPreemptively(GUARD, () -> assertThrows(TimeoutException.class,
                    () -> pair.worker().receiveBlocking("B", Duration.ofMillis(500))));
            assertEquals("No message on channel B within PT0.5S", e.getMessage());
            assertFalse(assertTimeoutPreemptively(GUARD, () -> pair.worker().awaitAvailable(Duration.ofMillis(300))),
                    "nothing arrived");

            pair.host().sendNoRequest("for A", "A");
            assertEquals("for A", assertTimeoutPreemptively(GUARD, () -> onA.get(PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS)), "the waiting receive still gets its message");
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReturnAMessageThatArrivedWhileAnotherThreadWaitsOnAnotherChannel(MessengerKind kind,
            String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            CompletableFuture<Object> onA = blockedOnA(pair.worker());
            CompletableFuture<Object> onB = waiting(() -> pair.worker().receiveBlocking("B"));

            pair.host().sendNoRequest("for B", "B");

            assertEquals("for B", onB.get(GUARD.toMillis(), TimeUnit.MILLISECONDS));
            assertFalse(onA.isDone(), "A still waits: nothing came for it");
            pair.host().sendNoRequest("for A", "A");
            assertEquals("for A", onA.get(GUARD.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldWakeAnAwaitAvailableWhenAnotherThreadDrainsWhatArrived(MessengerKind kind, String serializer)
            throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            CompletableFuture<Object> onA = blockedOnA(pair.worker());
            CompletableFuture<Boolean> anything = waiting(() -> pair.worker().awaitAvailable(PATIENCE));

            pair.host().sendNoRequest("for C", "C");

            assertEquals(true, anything.get(GUARD.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(1, pair.worker().available("C"));
            assertFalse(onA.isDone());
            pair.host().sendNoRequest("for A", "A");
            assertEquals("for A", onA.get(GUARD.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The thread waiting on the pipe returns with what it read even when another thread, draining
     * in a loop at the same time, takes it: before the fix the waiter, finding the inbox empty
     * again, went back to the socket and waited for frames that had all come, so a burst's
     * receive hung (seen once in CI as a concurrent-receive timeout).
     */
    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReturnABurstToTheWaitingThreadWhileAnotherThreadDrainsWithoutPause(MessengerKind kind,
            String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            AtomicBoolean draining = new AtomicBoolean(true);
            CompletableFuture<Void> drainer = CompletableFuture.runAsync(() -> {
                while (draining.get()) {
                    pair.worker().available("other");
                }
            }, runnable -> new Thread(runnable, "test-drainer").start());
            try {
                for (int round = 0; round < 40; round++) {
                    int burst = 20;
                    int first = round * burst;
                    CompletableFuture<Object> onA = waiting(() -> pair.worker().receiveBlocking("A"));
                    for (int i = 0; i < burst; i++) {
                        pair.host().sendNoRequest(first + i, "A");
                    }
                    assertEquals((Object) first, onA.get(GUARD.toMillis(), TimeUnit.MILLISECONDS), "round " + round);
                    for (int i = 1; i < burst; i++) {
                        assertEquals((Object) (first + i), pair.worker().receiveBlocking("A", PATIENCE));
                    }
                }
            } finally {
                draining.set(false);
                drainer.get(GUARD.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
