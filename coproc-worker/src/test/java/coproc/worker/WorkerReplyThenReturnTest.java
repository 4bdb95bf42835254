package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A worker that replies and returns at once: the reply must never be lost to the end of the
 * pipe that follows it. One resource is restarted again and again, a fresh worker each time.
 */
class WorkerReplyThenReturnTest {

    /** A hang guard for receives, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static void replyOnceAndReturn(Messenger messenger, Void unused) {
        messenger.sendReply("reply to " + messenger.receiveBlocking());
    }

    @ParameterizedTest(name = "{1} times with the {0} launcher")
    @CsvSource({"jvm, 100", "thread, 200"})
    void shouldDeliverTheReplyOfAWorkerThatReturnsAtOnce(String launcher, int times) throws Exception {
        Set<Long> pids = new HashSet<>();
        try (var worker = new WorkerResource<Void>(WorkerReplyThenReturnTest::replyOnceAndReturn,
                WorkerOptions.defaults().withLauncher(launcher))) {
            for (int i = 0; i < times; i++) {
                worker.start();
                Messenger messenger = worker.messenger();
                messenger.sendRequest(i);

                assertEquals("reply to " + i, messenger.receiveBlocking(PATIENCE), "iteration " + i);
                WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                        () -> messenger.receiveBlocking(PATIENCE), "iteration " + i);
                assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
                assertEquals(0, messenger.remaining());
                if (launcher.equals("jvm")) {
                    pids.add(worker.pid().orElseThrow());
                } else {
                    assertEquals(OptionalLong.empty(), worker.pid(), "a thread worker has no pid of its own");
                }
            }
            assertFalse(worker.isAlive());
        }
        if (launcher.equals("jvm")) {
            assertEquals(times, pids.size(), "every start makes a fresh worker JVM");
        }
    }
}
