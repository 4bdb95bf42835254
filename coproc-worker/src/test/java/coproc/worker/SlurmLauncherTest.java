package coproc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerStartException;
import coproc.worker.pool.PoolOptions;
import coproc.worker.pool.WorkerPool;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code slurm} launcher against a real one-node Slurm: the one {@code .ci/slurm.sh}
 * starts (CI runs it), found through {@code COPROC_TEST_SLURM} and {@code SLURM_CONF}. Its
 * node is this machine, so a worker's pid is a process here, started by {@code slurmstepd}.
 * Without that Slurm these tests are skipped, saying how to start it, except under CI, where
 * they fail.
 */
@Timeout(120)
class SlurmLauncherTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @BeforeAll
    static void findSlurm() {
        String dir = System.getenv("COPROC_TEST_SLURM");
        boolean there = dir != null && Files.isDirectory(Path.of(dir)) && System.getenv("SLURM_CONF") != null;
        RemoteWorkerFixture.requireService(there, "CI is set but COPROC_TEST_SLURM and SLURM_CONF name no Slurm:"
                + " .ci/run starts one with .ci/slurm.sh; did it fail?", "No test Slurm: run"
                + " `eval \"$(bash .ci/slurm.sh start /tmp/coproc-slurm)\"` (root, Debian) before the tests to run the"
                + " slurm launcher's tests");
    }

    private static WorkerOptions slurm(SlurmOptions slurm) {
        return slurm.withAddress("127.0.0.1").applyTo(WorkerOptions.defaults());
    }

    /** A host of its own, in a JVM the test kills: starts a worker with srun and tells its pid. */
    static void hostASlurmWorker(Messenger messenger, Void unused) throws TimeoutException {
        try (var worker = new WorkerResource<Void>(RemoteWorkerFixture::blockForEver,
                slurm(SlurmOptions.defaults())).start()) {
            messenger.sendNoRequest(worker.messenger().<Long>receiveBlocking(PATIENCE));
            messenger.receiveBlocking();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The jobs Slurm holds that are not done, one line each. */
    private static List<String> jobs() throws IOException, InterruptedException {
        Process squeue = new ProcessBuilder("squeue", "--noheader", "--states=all", "--format=%i %j %T")
                .redirectErrorStream(true).start();
        String out = new String(squeue.getInputStream().readAllBytes(), Charset.defaultCharset());
        squeue.waitFor();
        return out.lines().filter(line -> !line.isBlank()).filter(line -> !line.endsWith("COMPLETED")
                && !line.endsWith("CANCELLED") && !line.endsWith("FAILED")).toList();
    }

    @Test
    void shouldRunTheSeedsMessagingOverSlurm() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        WorkerOptions options = slurm(SlurmOptions.defaults().withCpus(1).withTimeLimit("5"))
                .withStdout(WorkerOutput.toLines(lines::add));
        try (var worker = new WorkerResource<String>(RemoteWorkerFixture::echo, options).start("hello")) {
            long pid = worker.pid().orElseThrow();
            assertEquals("hello from " + pid, worker.messenger().receiveBlocking(PATIENCE), "the pid is the worker's");
            assertTrue(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).flatMap(p -> p.info().command())
                    .orElse("").contains("slurmstepd"), "started by Slurm");
            RemoteWorkerFixture.roundTripThenFail(worker, lines, PATIENCE, "srun's exit code, the task's");
        }
    }

    @Test
    void shouldMapAPoolsWorkOverTwoSlurmWorkers() {
        PoolOptions options = PoolOptions.defaults().withWorkers(2).withWorkerOptions(slurm(SlurmOptions.defaults()));
        try (WorkerPool pool = WorkerPool.start(options)) {
            List<Integer> squares = pool.map(x -> x * x, IntStream.range(0, 1000).boxed().toList());
            assertEquals(IntStream.range(0, 1000).map(x -> x * x).boxed().toList(), squares);
        }
    }

    @Test
    void shouldCancelTheStepWhenTerminated() throws Exception {
        var worker = new WorkerResource<Void>(RemoteWorkerFixture::blockForEver, slurm(SlurmOptions.defaults())
                .withStopTimeouts(Duration.ofMillis(100), Duration.ofSeconds(10))).start();
        long pid = worker.messenger().<Long>receiveBlocking(PATIENCE);
        assertEquals(1, jobs().size(), jobs()::toString);
        worker.terminate();
        await().atMost(PATIENCE).until(() -> !isAlive(pid) && jobs().isEmpty());
    }

    @Test
    void shouldLeaveNoJobAndNoWorkerWhenTheHostIsKilled() throws Exception {
        long remote = -1;
        try (var host = new WorkerResource<Void>(SlurmLauncherTest::hostASlurmWorker).start()) {
            remote = host.messenger().<Long>receiveBlocking(PATIENCE);
            assertTrue(isAlive(remote), "the worker runs");
            assertEquals(1, jobs().size(), jobs()::toString);
            assertTrue(ProcessHandle.of(host.pid().orElseThrow()).orElseThrow().destroyForcibly());
            long orphan = remote;
            await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(orphan) && jobs().isEmpty());
        } finally {
            ProcessHandle.of(remote).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void shouldFailTheStartWithSlurmsOwnMessageForAJobItRefuses() {
        WorkerResource<String> worker = new WorkerResource<>(RemoteWorkerFixture::echo,
                slurm(SlurmOptions.defaults().withPartition("no-such-partition")));
        WorkerStartException failure = assertThrows(WorkerStartException.class, () -> worker.start("x"));
        assertTrue(failure.getMessage().contains("Invalid partition name specified"), failure::getMessage);
    }
}
