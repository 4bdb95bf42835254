package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import coproc.worker.WorkerResource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A host that goes away takes its workers with it: killed by {@code kill -9}, or ending its
 * {@code main} without closing them. The hosts here are JVMs of their own, started by the test;
 * their workers are the test's grandchildren.
 */
class HostDeathTest {

    /** A hang guard, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** "Within a few seconds". */
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    /** Never looks at its messenger: only the worker's own watch on its host can end it. */
    static void blockForEver(Messenger messenger, Void unused) throws InterruptedException {
        new CountDownLatch(1).await();
    }

    /** The child host: itself a worker of the test, it starts a worker and tells the test its pid. */
    static void hostAGrandchild(Messenger messenger, Void unused) {
        try (var grandchild = new WorkerResource<Void>(HostDeathTest::blockForEver).start()) {
            messenger.sendNoRequest(grandchild.pid().orElseThrow());
            messenger.receiveBlocking();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void shouldEndTheWorkerOfAHostKilledByKill9() throws Exception {
        long grandchild = -1;
        try (var child = new WorkerResource<Void>(HostDeathTest::hostAGrandchild).start()) {
            grandchild = child.messenger().<Long>receiveBlocking(PATIENCE);
            long host = child.pid().orElseThrow();
            assertTrue(isAlive(grandchild), "the grandchild runs");
            assertEquals(Optional.of(host), ProcessHandle.of(grandchild).flatMap(ProcessHandle::parent)
                    .map(ProcessHandle::pid), "the grandchild is the child host's worker");

            assertTrue(ProcessHandle.of(host).orElseThrow().destroyForcibly());

            long orphan = grandchild;
            await().atMost(PROMPTLY).until(() -> !isAlive(orphan));
            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> child.messenger().receiveBlocking(PATIENCE));
            assertEquals(137, died.exitCode().orElse(-1), died::getMessage);
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void shouldExitNormallyAndEndTheWorkerWhenMainReturnsWithoutClosingIt() {
        try (ChildJvm host = ChildJvm.start(ChildJvm.moduleCommand(ReturningHostMain.class))) {
            await().atMost(PATIENCE).until(() -> !host.process().isAlive());

            assertEquals(0, host.process().exitValue(), "the host's exit code; its stdout: " + host.stdout());
            await().atMost(PATIENCE).until(() -> host.valueAfter("worker pid:") != null);
            long worker = Long.parseLong(host.valueAfter("worker pid:"));
            await().atMost(PROMPTLY).until(() -> !isAlive(worker));
            assertEquals("hello", host.valueAfter("reply:"));
            // The worker's standard output is the host's.
            await().atMost(PATIENCE).until(() -> host.stdout().contains("worker stdout: hello from " + worker));
        }
    }

    @Test
    void shouldEndIdleSparesWithinFiveSecondsOfTheirHostsKill9() {
        try (ChildJvm host = ChildJvm.start(ChildJvm.moduleCommand(SpareHostMain.class))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> host.valueAfter("spares:") != null);
            List<Long> spares = Arrays.stream(host.valueAfter("spares:").split(",")).map(Long::parseLong).toList();
            long worker = Long.parseLong(host.valueAfter("worker pid:"));
            assertEquals(2, spares.size(), spares::toString);
            assertTrue(spares.stream().allMatch(HostDeathTest::isAlive), "the spares wait");

            assertTrue(host.process().toHandle().destroyForcibly(), "kill -9 of the host");

            await().atMost(Duration.ofSeconds(5)).until(() -> spares.stream().noneMatch(HostDeathTest::isAlive));
            await().atMost(PROMPTLY).until(() -> !isAlive(worker));
        }
    }
}
