package coproc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Workers that die under a host blocked in a receive: the receive throws promptly, with the
 * exit code and the tail of the worker's stderr, and never hangs. The bounded receives are
 * hang guards, not timing expectations.
 */
class WorkerDeathTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static void exitWithThree(Messenger messenger, Void unused) {
        messenger.receiveBlocking();
        System.err.println("worker: exiting with 3 on purpose");
        System.exit(3);
    }

    static void waitForEver(Messenger messenger, Void unused) {
        messenger.sendNoRequest("ready");
        while (true) {
            messenger.receiveBlocking("a channel nobody sends on");
        }
    }

    static void throwCustom(Messenger messenger, Void unused) {
        throw new CustomFailureException("custom failure after " + messenger.receiveBlocking());
    }

    /** An unchecked exception of the test's own, which the host can load. */
    public static class CustomFailureException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public CustomFailureException(String message) {
            super(message);
        }
    }

    @Test
    void shouldReportAWorkerThatExitsWhileTheHostWaits() {
        try (var worker = new WorkerResource<Void>(WorkerDeathTest::exitWithThree).start()) {
            worker.messenger().sendNoRequest("exit now");

            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));

            assertEquals(3, died.exitCode().orElse(-1), died::getMessage);
            assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
            assertTrue(died.stderrTail().contains("worker: exiting with 3 on purpose"), died.stderrTail());
            assertTrue(died.getMessage().contains("worker: exiting with 3 on purpose"), died.getMessage());
            assertFalse(worker.isAlive());
            // Every later receive says the same, at once.
            WorkerDiedException again = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(3, again.exitCode().orElse(-1), again::getMessage);
        }
    }

    /** Whether a thread is parked, or waits in a selector (RUNNABLE in native code, but idle). */
    private static boolean isBlocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                || java.util.Arrays.stream(thread.getStackTrace()).limit(4).anyMatch(
                        frame -> frame.getClassName().endsWith("EPoll") && frame.getMethodName().equals("wait"));
    }

    @Test
    void shouldReportAWorkerKilledWhileTheHostWaits() throws Exception {
        try (var worker = new WorkerResource<Void>(WorkerDeathTest::waitForEver).start()) {
            assertEquals("ready", worker.messenger().receiveBlocking(PATIENCE));
            ProcessHandle process = ProcessHandle.of(worker.pid().orElseThrow()).orElseThrow();
            Thread host = Thread.currentThread();
            CompletableFuture<Boolean> kill = CompletableFuture.supplyAsync(() -> {
                // Kill once the host is blocked in its receive (or after a bounded wait regardless).
                long giveUp = System.nanoTime() + PATIENCE.toNanos();
                while (!isBlocked(host) && System.nanoTime() - giveUp < 0) {
                    Thread.onSpinWait();
                }
                return process.destroyForcibly();
            });

            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));

            assertTrue(kill.join());
            assertEquals(137, died.exitCode().orElse(-1), died::getMessage);
            assertTrue(died.getMessage().contains("exit code 137"), died.getMessage());
            assertTrue(died.getMessage().contains("killed by signal 9"), died.getMessage());
            assertFalse(worker.isAlive());
        }
    }

    @Test
    void shouldThrowTheTargetsCustomExceptionThenReportTheWorkerDead() {
        try (var worker = new WorkerResource<Void>(WorkerDeathTest::throwCustom).start()) {
            worker.messenger().sendRequest("the first message");

            CustomFailureException failure = assertThrows(CustomFailureException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals("custom failure after the first message", failure.getMessage());

            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertTrue(died.exitCode().isPresent(), died::getMessage);
            assertNotEquals(0, died.exitCode().getAsInt(), died::getMessage);
            assertTrue(died.getMessage().contains("exit code " + died.exitCode().getAsInt()), died.getMessage());
            // The worker printed the failure's stack trace on its stderr before it died.
            assertTrue(died.stderrTail().contains(CustomFailureException.class.getName()), died.stderrTail());
            assertTrue(died.getMessage().contains(CustomFailureException.class.getName()), died.getMessage());
            await().atMost(PATIENCE).until(() -> !worker.isAlive());
        }
    }

    @Test
    void shouldThrowTheErrorOfAWorkerThatDiedBeforeTheHostLooked() {
        try (var worker = new WorkerResource<Void>(WorkerDeathTest::throwCustom).start()) {
            worker.messenger().sendRequest("an early death");
            await().atMost(PATIENCE).until(() -> !worker.isAlive());

            CustomFailureException failure = assertThrows(CustomFailureException.class,
                    () -> worker.messenger().available());
            assertEquals("custom failure after an early death", failure.getMessage());
            WorkerDiedException died = assertThrows(WorkerDiedException.class, () -> worker.messenger().available());
            assertNotEquals(0, died.exitCode().orElse(0), died::getMessage);
        }
    }
}
