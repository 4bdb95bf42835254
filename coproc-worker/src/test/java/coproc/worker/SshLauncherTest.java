package coproc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerStartException;
import coproc.worker.pool.PoolOptions;
import coproc.worker.pool.WorkerPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ssh} launcher against a real {@code sshd}: the one {@code .ci/sshd.sh} starts on
 * 127.0.0.1 (CI runs it), found through {@code COPROC_TEST_SSH_CONFIG}, the ssh configuration
 * file that names it {@code coproc-test}. "Remote" is this machine, reached through sshd as a
 * remote host is: a worker's pid is a process here, whose parent is a shell of sshd's. Without
 * that sshd these tests are skipped, saying how to start it, except under CI, where they fail.
 */
@Timeout(120)
class SshLauncherTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String HOST = "coproc-test";
    private static Path config;

    @BeforeAll
    static void findSshd() {
        String file = System.getenv("COPROC_TEST_SSH_CONFIG");
        boolean there = file != null && Files.isRegularFile(Path.of(file));
        RemoteWorkerFixture.requireService(there, "CI is set but COPROC_TEST_SSH_CONFIG names no ssh config:"
                + " .ci/run starts sshd with .ci/sshd.sh; did it fail?", "No test sshd: run"
                + " `eval \"$(bash .ci/sshd.sh start /tmp/coproc-sshd)\"` (root, Debian) before the tests to run the ssh"
                + " launcher's tests");
        config = Path.of(file);
    }

    private static WorkerOptions ssh(SshOptions ssh) {
        return WorkerOptions.defaults().withSsh(ssh.withConfigFile(config));
    }

    /** A host of its own, in a JVM the test kills: starts a worker over ssh and tells its pid. */
    static void hostAnSshWorker(Messenger messenger, String configFile) {
        WorkerOptions options = WorkerOptions.defaults().withSsh(SshOptions.hosts(HOST)
                .withConfigFile(Path.of(configFile)));
        try (var remote = new WorkerResource<Void>(RemoteWorkerFixture::blockForEver, options).start()) {
            messenger.sendNoRequest(remote.messenger().<Long>receiveBlocking(PATIENCE));
            messenger.receiveBlocking();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Optional<String> commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine());
    }

    @Test
    void shouldRunTheSeedsMessagingOverSsh() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        WorkerOptions options = ssh(SshOptions.hosts(HOST)).withStdout(WorkerOutput.toLines(lines::add));
        try (var worker = new WorkerResource<String>(RemoteWorkerFixture::echo, options).start("hello")) {
            long pid = worker.pid().orElseThrow();
            assertEquals("hello from " + pid, worker.messenger().receiveBlocking(PATIENCE), "the pid is the remote one");
            assertNotEquals(ProcessHandle.current().pid(), pid);
            assertTrue(commandLine(pid).orElse("").contains("coproc.worker.internal.WorkerMain"), commandLine(pid)::toString);
            assertTrue(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).flatMap(ProcessHandle::parent)
                    .flatMap(p -> p.info().command()).orElse("").contains("sshd"), "started by sshd's shell");

            RemoteWorkerFixture.roundTripThenFail(worker, lines, PATIENCE, "the remote exit code");
        }
    }

    @Test
    void shouldReuseOneMultiplexedConnectionForLaterStarts() throws Exception {
        WorkerOptions options = ssh(SshOptions.hosts(HOST));
        List<Long> masters = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (var worker = new WorkerResource<String>(RemoteWorkerFixture::echo, options).start("start " + i)) {
                assertTrue(worker.messenger().<String>receiveBlocking(PATIENCE).startsWith("start " + i));
                masters.add(masters());
            }
        }
        assertTrue(masters.get(0) >= 1, "a master connection: " + masters);
        assertEquals(List.of(masters.get(0), masters.get(0), masters.get(0)), masters,
                "the later starts opened no other connection");
    }

    /** The ssh master connections to the test host on this machine, of this JVM or any other. */
    private static long masters() {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains("ControlMaster=yes") && line.contains(config.toString())).count();
    }

    @Test
    void shouldTellTheHostWhenTheRemoteWorkerIsKilled() throws Exception {
        try (var worker = new WorkerResource<Void>(RemoteWorkerFixture::blockForEver, ssh(SshOptions.hosts(HOST))).start()) {
            long pid = worker.messenger().<Long>receiveBlocking(PATIENCE);
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            WorkerDiedException died = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(137, died.exitCode().orElse(-1), died::getMessage);
        }
    }

    @Test
    void shouldLeaveNoRemoteWorkerWhenTheHostIsKilled() throws Exception {
        long remote = -1;
        try (var host = new WorkerResource<String>(SshLauncherTest::hostAnSshWorker).start(config.toString())) {
            remote = host.messenger().<Long>receiveBlocking(PATIENCE);
            assertTrue(isAlive(remote), "the remote worker runs");
            assertTrue(ProcessHandle.of(host.pid().orElseThrow()).orElseThrow().destroyForcibly());
            long orphan = remote;
            await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(orphan));
        } finally {
            ProcessHandle.of(remote).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void shouldFailTheStartWithSshsOwnMessageForAnUnknownHost() {
        WorkerResource<String> worker = new WorkerResource<>(RemoteWorkerFixture::echo,
                ssh(SshOptions.hosts("no-such-host.invalid")));
        WorkerStartException failure = assertThrows(WorkerStartException.class, () -> worker.start("x"));
        assertTrue(failure.getMessage().contains("no-such-host.invalid"), failure::getMessage);
        assertTrue(failure.getMessage().toLowerCase().contains("could not resolve hostname"), failure::getMessage);
    }

    @Test
    void shouldShipTheCodeToAnEmptyRemoteCache() throws Exception {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "coproc", "code");
        deleteTree(cache); // the remote host's cache: this machine's, reached through sshd
        WorkerOptions options = ssh(SshOptions.hosts(HOST).withShippedCode().withWorkingDirectory("/"));
        try (var worker = new WorkerResource<String>(RemoteWorkerFixture::echo, options).start("shipped")) {
            long pid = worker.pid().orElseThrow();
            assertEquals("shipped from " + pid, worker.messenger().receiveBlocking(PATIENCE));
            String command = commandLine(pid).orElseThrow();
            assertTrue(command.contains(cache.toString()), command);
            assertFalse(command.contains("target/classes"), "only shipped copies: " + command);
            try (Stream<Path> files = Files.walk(cache)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("classes.jar")), "a directory, as a jar");
            }
        }
    }

    @Test
    void shouldMapAPoolsWorkOverSshWorkers() {
        PoolOptions options = PoolOptions.defaults().withWorkers(2).withWorkerOptions(ssh(SshOptions.hosts(HOST, HOST)));
        try (WorkerPool pool = WorkerPool.start(options)) {
            List<Integer> squares = pool.map(x -> x * x, IntStream.range(0, 1000).boxed().toList());
            assertEquals(IntStream.range(0, 1000).map(x -> x * x).boxed().toList(), squares);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
