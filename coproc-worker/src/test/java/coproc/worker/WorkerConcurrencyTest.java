package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lifecycle calls racing with the worker and with other threads of the host. */
class WorkerConcurrencyTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Thrown by {@link #sayHiThenFail} as soon as the target runs. */
    public static class EarlyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public EarlyFailure(String message) {
            super(message);
        }
    }

    static void sayHiThenFail(Messenger messenger, Void unused) {
        messenger.sendNoRequest("hi");
        throw new EarlyFailure("failed at once");
    }

    static void echoUntilClosed(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void shouldStartATargetThatSendsAndFailsAtOnceEveryTime(String launcher) {
        var options = WorkerOptions.defaults().withLauncher(launcher);
        var worker = new WorkerResource<Void>(WorkerConcurrencyTest::sayHiThenFail, options);
        int rounds = launcher.equals("thread") ? 40 : 5;
        for (int i = 0; i < rounds; i++) {
            worker.start(); // the target's error is not start()'s business
            // Both arrive; if together, the error is thrown by the receive that drains it and
            // "hi" stays queued for the next one.
            boolean sawHi = false;
            boolean sawError = false;
            for (int receive = 0; receive < 2; receive++) {
                try {
                    assertEquals("hi", worker.messenger().receiveBlocking(PATIENCE));
                    sawHi = true;
                } catch (EarlyFailure e) {
                    assertEquals("failed at once", e.getMessage());
                    sawError = true;
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("nothing arrived", e);
                }
            }
            assertTrue(sawHi && sawError, "round " + i + ": saw the message and the error");
            assertTimeoutPreemptively(PATIENCE, () -> worker.join());
        }
        worker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void shouldJoinWhileAnotherThreadIsBlockedInAReceive(String launcher) throws Exception {
        var options = WorkerOptions.defaults().withLauncher(launcher);
        try (var worker = new WorkerResource<Void>(WorkerConcurrencyTest::echoUntilClosed, options).start()) {
            CompletableFuture<Object> consumer = CompletableFuture.supplyAsync(() -> worker.messenger().receiveBlocking());
            // Whether or not the consumer is blocked yet, join must not wait for it.
            assertTrue(assertTimeoutPreemptively(PATIENCE, () -> worker.join(PATIENCE)), "the worker ended");
            assertFalse(worker.isAlive());
            ExecutionException ended = assertThrows(ExecutionException.class,
                    () -> consumer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertInstanceOf(PipeClosedException.class, ended.getCause(), "the blocked receive learns the end");
        }
    }
}
