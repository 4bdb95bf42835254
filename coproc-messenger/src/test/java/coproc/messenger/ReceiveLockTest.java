package coproc.messenger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.internal.Inbox;
import coproc.messenger.internal.MessengerAccess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The receive lock across threads: every receive gives it back, whether it returned, threw or
 * timed out, so that a receive on another thread goes ahead (on the same thread the lock is
 * re-entrant, and a lock left held would go unseen); and what the worker's host does while no
 * thread receives ({@code drainIfIdle}).
 */
@Timeout(60)
class ReceiveLockTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How long a call on the other thread may take when nothing holds it up: well below the mutation profile's bound. */
    private static final Duration HANDOVER = Duration.ofSeconds(5);

    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopTheOtherThread() {
        other.shutdownNow();
    }

    /**
     * Runs a call on the other thread and returns its result, or throws what it threw; fails if
     * it has not returned within {@link #HANDOVER}, which is what a receive lock left held by this
     * thread does to it (the calls here have their message, or their answer, waiting).
     */
    private <T> T onTheOtherThread(Callable<T> call) throws Exception {
        try {
            return other.submit(call).get(HANDOVER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("The call on the other thread did not return within " + HANDOVER
                    + ": the receive lock was not given back", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    private static Inbox inboxOf(PipeMessenger messenger) {
        return MessengerAccess.bridge().pipe(messenger).inbox();
    }

    @Test
    void shouldLetAnotherThreadReceiveAfterAReceiveReturnedThrewOrTimedOut() throws Exception {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            pair.host().sendNoRequest("first");
            assertEquals("first", worker.receiveBlocking(PATIENCE));
            pair.host().sendNoRequest("second");
            assertEquals("second", onTheOtherThread(() -> worker.receiveBlocking(PATIENCE)));

            assertThrows(java.util.concurrent.TimeoutException.class, () -> worker.receiveBlocking(Duration.ZERO));
            pair.host().sendNoRequest("third");
            assertEquals("third", onTheOtherThread(() -> worker.receiveBlocking(PATIENCE)));

            pair.host().sendCloseRequest();
            assertThrows(ResourceRequestedCloseException.class, () -> worker.receiveBlocking(PATIENCE));
            pair.host().sendNoRequest("fourth");
            assertEquals("fourth", onTheOtherThread(() -> worker.receiveMessageBlocking(null).payload()));
        }
    }

    @Test
    void shouldLetAnotherThreadReceiveAfterEachOfTheOtherCallsThatTakeTheLock() throws Exception {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            pair.host().sendNoRequest("a");
            assertTrue(worker.awaitAvailable(PATIENCE));
            assertEquals(1, worker.available());
            assertEquals(1, worker.queueSize(null));
            assertEquals(List.of("a"), worker.receiveAvailable());
            assertFalse(worker.awaitAvailable(Duration.ZERO));
            assertTrue(MessengerAccess.bridge().drainIfIdle(worker));

            pair.host().sendNoRequest("b");
            assertEquals("b", onTheOtherThread(() -> worker.receiveBlocking(PATIENCE)));
        }
    }

    @Test
    void shouldDrainIfIdleOnlyWhileNoThreadHoldsTheReceiveLock() throws Exception {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            Inbox inbox = inboxOf(worker);
            pair.host().sendNoRequest("queued");
            await().atMost(PATIENCE).until(() -> !inbox.isEmpty()); // the reader thread decoded it

            CountDownLatch release = holdReceiveLock(worker);
            assertFalse(MessengerAccess.bridge().drainIfIdle(worker), "another thread holds the receive lock");
            assertFalse(inbox.isEmpty(), "nothing was drained");
            release.countDown();

            await().atMost(PATIENCE).until(() -> MessengerAccess.bridge().drainIfIdle(worker));
            assertTrue(inbox.isEmpty(), "drained into the queues");
            assertEquals(1, worker.queueSize(null));
        }
    }

    @Test
    void shouldReturnFalseFromATimedAwaitAvailableWhileAnotherThreadHoldsTheReceiveLock() throws Exception {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            CountDownLatch release = holdReceiveLock(worker);

            assertFalse(worker.awaitAvailable(Duration.ofMillis(50)), "it never got the lock: nothing is available to it");
            release.countDown();
            pair.host().sendNoRequest("now");
            assertTrue(worker.awaitAvailable(PATIENCE));
        }
    }

    @Test
    void shouldThrowFromDrainIfIdleWhatTheDrainMeets() {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            pair.host().sendCloseRequest();
            await().atMost(PATIENCE).until(() -> !inboxOf(worker).isEmpty());

            assertThrows(ResourceRequestedCloseException.class, () -> MessengerAccess.bridge().drainIfIdle(worker));
        }
    }

    /** Takes the messenger's receive lock on the other thread and holds it until the returned latch opens. */
    private CountDownLatch holdReceiveLock(PriorityMessenger worker) throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        other.submit(() -> {
            worker.turns.lock(Long.MAX_VALUE);
            try {
                locked.countDown();
                release.await();
            } finally {
                worker.turns.unlock();
            }
            return null;
        });
        assertTrue(locked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the other thread took the receive lock");
        return release;
    }
}
