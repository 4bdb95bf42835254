package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerIsDeadException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a worker's end reaches the host: every message of a burst sent just before
 * {@code System.exit} arrives before the death is reported, the exit code is there to read and
 * to wait for, and the stderr excerpt of a death keeps the exception's headline.
 */
@Timeout(120)
class WorkerExitTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int BURST = 5_000;

    /** Sends a burst of records of about 1 KB, then exits with 9 at once. */
    static void burstThenExit(Messenger messenger, Integer count) {
        String record = "x".repeat(1000);
        for (int i = 0; i < count; i++) {
            messenger.sendNoRequest(i + ":" + record);
        }
        System.exit(9);
    }

    /** Once asked, exits with the code it is given, or, given a negative one, returns (exit code 0). */
    static void exitWhenAsked(Messenger messenger, Integer code) {
        messenger.receiveBlocking();
        if (code >= 0) {
            System.exit(code); // only in a worker JVM of its own: the thread launcher's would end the tests' JVM
        }
    }

    /** Throws from 60 frames deep, so that the stack trace is longer than the excerpt's tail. */
    static void failDeep(Messenger messenger, Integer depth) {
        if (depth > 0) {
            failDeep(messenger, depth - 1);
            return;
        }
        throw new IllegalStateException("the headline of this failure");
    }

    /**
     * Work the host does on each record, so that it reads more slowly than the worker writes
     * and the worker still has a burst queued when it exits: a digest of the record, repeated.
     */
    private static int digest(String record) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] bytes = record.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            bytes = sha.digest(bytes);
        }
        return bytes[0];
    }

    @Test
    void shouldDeliverEveryMessageOfABurstSentRightBeforeSystemExit() throws Exception {
        try (var worker = new WorkerResource<Integer>(WorkerExitTest::burstThenExit).start(BURST)) {
            int work = 0;
            for (int i = 0; i < BURST; i++) {
                String record = worker.messenger().receiveBlocking(PATIENCE);
                assertTrue(record.startsWith(i + ":"), "record " + i + " arrives in order: " + record.substring(0, 8));
                work += digest(record);
            }
            assertTrue(work != Integer.MIN_VALUE); // the digests were computed
            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(OptionalInt.of(9), died.exitCode());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldTellTheExitCodeAndCompleteOnExit(String launcher) throws Exception {
        WorkerResource<Integer> resource = new WorkerResource<>(WorkerExitTest::exitWhenAsked,
                WorkerOptions.defaults().withLauncher(launcher));
        assertThrows(WorkerIsDeadException.class, resource::exitCode);
        assertThrows(WorkerIsDeadException.class, resource::onExit);
        try (var worker = resource) {
            // a thread worker must not System.exit (it would end this JVM): its target returns, exit code 0
            worker.start(launcher.equals("jvm") ? 7 : -1);
            CompletableFuture<Integer> exit = worker.onExit();
            assertEquals(OptionalInt.empty(), worker.exitCode(), "alive: no exit code yet");
            assertFalse(exit.isDone());

            worker.messenger().sendRequest("now");

            int expected = launcher.equals("jvm") ? 7 : 0;
            assertEquals(expected, exit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            assertTrue(worker.join(PATIENCE));
            assertEquals(OptionalInt.of(expected), worker.exitCode());
        }
    }

    @Test
    void shouldKeepTheExceptionsHeadlineInTheStderrExcerptOfADeath() {
        try (var worker = new WorkerResource<Integer>(WorkerExitTest::failDeep,
                WorkerOptions.defaults().withStderr(WorkerOutput.discard())).start(60)) {
            RuntimeException thrown = assertThrows(RuntimeException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals("the headline of this failure", thrown.getMessage(), "the error itself arrives first");
            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));

            assertTrue(died.getMessage().contains("IllegalStateException: the headline of this failure"),
                    died.getMessage());
            assertTrue(died.getMessage().contains("\tat "), "and the last frames: " + died.getMessage());
        }
    }
}
