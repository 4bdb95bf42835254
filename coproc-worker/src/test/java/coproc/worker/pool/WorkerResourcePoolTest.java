package coproc.worker.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerIsAlreadyDeadException;
import coproc.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WorkerResourcePool}: a group of workers of one target. */
class WorkerResourcePoolTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Thrown by {@link #doubleOrFail}: unchecked, and present in the host. */
    public static class OddException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public OddException(String message) {
            super(message);
        }
    }

    /** Answers each request with twice its number, until it gets "end" or a close request. */
    static void doubleUntilEnd(Messenger messenger, String greeting) {
        while (true) {
            Object request = messenger.receiveBlocking();
            if ("end".equals(request)) {
                return;
            }
            if (request instanceof String text) {
                messenger.sendReply(greeting + " " + text);
            } else {
                messenger.sendReply(2 * (Integer) request);
            }
        }
    }

    /** Doubles even numbers; fails the worker at 13. */
    static void doubleOrFail(Messenger messenger, Void unused) {
        while (true) {
            int request = messenger.receiveBlocking();
            if (request == 13) {
                throw new OddException("13 is unlucky");
            }
            messenger.sendReply(2 * request);
        }
    }

    static WorkerOptions launcher(String launcher) {
        return WorkerOptions.defaults().withLauncher(launcher);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void shouldAwaitUntilEveryWorkerHasEnded(String launcher) {
        try (var group = new WorkerResourcePool<String>(3, WorkerResourcePoolTest::doubleUntilEnd, launcher(launcher))
                .start("hi")) {
            assertTrue(group.allAlive());
            List<Messenger> messengers = group.resources().stream().map(r -> r.messenger()).toList();

            messengers.get(0).sendNoRequest("end");
            await().atMost(PATIENCE).until(() -> !group.resources().get(0).isAlive());
            assertFalse(group.allAlive(), "one has ended");
            assertTrue(group.anyAlive(), "two run on");
            assertFalse(group.awaitAllEnded(Duration.ofMillis(200)), "two still run, and nothing asks them to end");
            assertTrue(group.resources().get(1).isAlive());

            messengers.get(1).sendNoRequest("end");
            messengers.get(2).sendNoRequest("end");
            assertTrue(group.awaitAllEnded(PATIENCE));
            assertFalse(group.anyAlive());
        }
    }

    @Test
    void shouldSendToEveryWorker() {
        try (var group = new WorkerResourcePool<String>(3, WorkerResourcePoolTest::doubleUntilEnd, launcher("thread"))
                .start("hello")) {
            group.sendToAll("you");
            for (var worker : group.resources()) {
                assertEquals("hello you", worker.messenger().receiveBlocking());
            }
        }
    }

    @Test
    void shouldFeedRequestsToFreeWorkersAndYieldEveryReply() {
        try (var group = new WorkerResourcePool<String>(3, WorkerResourcePoolTest::doubleUntilEnd, launcher("thread"))
                .start("hi");
                Stream<Integer> replies = group.mapMessages(WorkerPoolTest.numbers(500))) {
            List<Integer> all = new ArrayList<>(replies.toList());
            all.sort(null);
            assertEquals(WorkerPoolTest.numbers(500).stream().map(x -> 2 * x).toList(), all);
            for (var worker : group.resources()) {
                assertEquals(0, worker.messenger().remaining(), "every reply was received");
            }
        }
    }

    @Test
    void shouldThrowTheErrorAWorkerSentFromMapMessages() {
        try (var group = new WorkerResourcePool<Void>(2, WorkerResourcePoolTest::doubleOrFail, launcher("thread"))
                .start()) {
            OddException failed = assertThrows(OddException.class,
                    () -> group.mapMessages(WorkerPoolTest.numbers(100)).toList());
            assertEquals("13 is unlucky", failed.getMessage());
        }
    }

    @Test
    void shouldJoinAndTerminateTheWholeGroup() {
        var group = new WorkerResourcePool<String>(2, WorkerResourcePoolTest::doubleUntilEnd, launcher("thread"));
        assertThrows(WorkerIsAlreadyDeadException.class, group::join, "never started");
        group.start("a");
        group.join();
        assertFalse(group.anyAlive());
        assertThrows(WorkerIsAlreadyDeadException.class, group::join, "joined already");
        group.start("b");
        assertTrue(group.allAlive(), "started again");
        group.terminate();
        assertFalse(group.anyAlive());
        assertThrows(WorkerIsAlreadyDeadException.class, group::terminate);
        group.close();
        group.close();
    }

    @Test
    void shouldRefuseAnEmptyGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WorkerResourcePool<String>(0, WorkerResourcePoolTest::doubleUntilEnd));
        assertTrue(e.getMessage().contains("size=0"), e.getMessage());
    }
}
