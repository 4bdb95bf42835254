package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.WorkerStartException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerAcceptor#accept}, with a listener to which no worker ever connects: how the wait
 * for a worker's connection ends when none comes.
 */
class WorkerAcceptorTest {

    /** A hang guard for the waits of these tests, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** A listener that nobody connects to; its accept waits until it is closed, or until {@code ends}. */
    private static final class SilentListener implements WorkerListener {

        final CountDownLatch closed = new CountDownLatch(1);
        private final CountDownLatch ends;

        SilentListener() {
            this.ends = closed;
        }

        SilentListener(CountDownLatch ends) {
            this.ends = ends;
        }

        @Override
        public Map<String, String> settings() {
            return Map.of();
        }

        @Override
        public Closeable accept() throws IOException {
            try {
                ends.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }

        @Override
        public ByteChannel channel(Closeable connection, long deadline) {
            throw new AssertionError("nobody connects");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static WorkerStartException accept(SilentListener listener, StandInProcess worker, Duration timeout) {
        return assertThrows(WorkerStartException.class, () -> WorkerAcceptor.accept(listener, worker,
                MessengerKind.PRIORITY, MessengerOptions.defaults(), () -> new IllegalStateException("peer lost"),
                System.nanoTime() + timeout.toNanos(), timeout, () -> " (detail)"));
    }

    @Test
    void shouldWaitUntilTheDeadlineForAWorkerThatDoesNotConnect() throws Exception {
        SilentListener listener = new SilentListener();
        long start = System.nanoTime();

        WorkerStartException failure = CompletableFuture.supplyAsync(
                () -> accept(listener, new StandInProcess(1), Duration.ofMillis(300)))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertEquals("The worker did not connect within PT0.3S (detail)", failure.getMessage());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "gave up before the deadline");
        assertEquals(0, listener.closed.getCount(), "the listener is closed");
    }

    @Test
    void shouldGiveUpOnAWorkerThatEndsWithoutConnecting() throws Exception {
        StandInProcess worker = new StandInProcess(1);
        worker.exit.complete(2);

        WorkerStartException failure = CompletableFuture.supplyAsync(
                () -> accept(new SilentListener(), worker, Duration.ofDays(1))).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertEquals("The worker exited before it connected (detail)", failure.getMessage());
    }

    @Test
    void shouldGiveUpWhenInterruptedAndKeepTheInterrupt() throws Exception {
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        CompletableFuture<WorkerStartException> failure = new CompletableFuture<>();
        // The accepting thread outlives the close, so that the wait for it sees the interrupt too.
        CountDownLatch acceptEnds = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try {
                failure.complete(accept(new SilentListener(acceptEnds), new StandInProcess(1), Duration.ofDays(1)));
            } finally {
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            }
        });
        waiting.start();

        waiting.interrupt();

        assertEquals("Interrupted while waiting for the worker to connect",
                failure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getMessage());
        assertTrue(stillInterrupted.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the interrupt is kept for the caller");
        acceptEnds.countDown();
    }
}
