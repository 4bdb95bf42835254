package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerIsAlreadyAliveException;
import coproc.api.WorkerIsAlreadyDeadException;
import coproc.api.WorkerIsDeadException;
import coproc.api.WorkerStartException;
import coproc.api.WorkerTarget;
import coproc.api.spi.WorkerProcess;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Starting, stopping and restarting a {@link WorkerResource}, and every lifecycle exception. */
class WorkerLifecycleTest {

    /** A hang guard for receives and waits, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    static void obeyCloseRequest(Messenger messenger, Void unused) {
        try {
            echo(messenger, unused);
        } catch (ResourceRequestedCloseException e) {
            // a clean end: return
        }
    }

    static void ignoreCloseRequests(Messenger messenger, Void unused) {
        messenger.sendNoRequest("ready");
        while (true) {
            try {
                messenger.receiveBlocking();
            } catch (ResourceRequestedCloseException e) {
                messenger.sendNoRequest("ignored a close request");
            }
        }
    }

    /** Ignores close requests and, with a shutdown hook that never ends, SIGTERM too. */
    static void ignoreCloseRequestsAndSigterm(Messenger messenger, Void unused) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        ignoreCloseRequests(messenger, unused);
    }

    /** A target object with a field that JDK serialization cannot carry. */
    static final class HoldsALock implements WorkerTarget<Void> {

        private static final long serialVersionUID = 1L;

        @SuppressWarnings({"serial", "unused"}) // deliberately not serializable
        private final Object lock = new Object();

        @Override
        public void run(Messenger messenger, Void argument) {
        }
    }

    /** A target that refuses to be deserialized: it can be sent, but not loaded in the worker. */
    static final class RefusesToLoad implements WorkerTarget<Void> {

        private static final long serialVersionUID = 1L;

        @Override
        public void run(Messenger messenger, Void argument) {
        }

        private void readObject(ObjectInputStream in) throws InvalidObjectException {
            throw new InvalidObjectException("this target refuses to load in the worker");
        }
    }

    /** Stands for a worker that was launched but never connects; ends when stopped or killed. */
    static final class SilentWorker implements WorkerProcess {

        private final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public boolean isAlive() {
            return ended.getCount() > 0;
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public OptionalInt exitCode() {
            return isAlive() ? OptionalInt.empty() : OptionalInt.of(137);
        }

        @Override
        public void stop() {
            ended.countDown();
        }

        @Override
        public void kill() {
            ended.countDown();
        }

        @Override
        public String stderrTail() {
            return "";
        }
    }

    /**
     * Receives what a stopped worker sent until its end: whether it said "ignored a close
     * request" before it was stopped depends on how fast it was, so that is not asserted.
     */
    private static WorkerDiedException endOfMessages(Messenger messenger) {
        return assertThrows(WorkerDiedException.class, () -> {
            for (int i = 0; i < 3; i++) {
                messenger.receiveBlocking(PATIENCE);
            }
        });
    }

    private static void assertEchoes(WorkerResource<?> worker, String data) throws Exception {
        worker.messenger().sendRequest(data);
        assertEquals(data, worker.messenger().receiveBlocking(PATIENCE));
    }

    @Test
    void shouldThrowWorkerIsDeadBeforeAnyStart() {
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo)) {
            assertFalse(worker.isAlive());
            assertThrows(WorkerIsDeadException.class, worker::messenger);
            assertThrows(WorkerIsDeadException.class, worker::pid);
            assertThrows(WorkerIsAlreadyDeadException.class, worker::join);
            assertThrows(WorkerIsAlreadyDeadException.class, () -> worker.join(PATIENCE));
            assertThrows(WorkerIsAlreadyDeadException.class, worker::terminate);
        }
    }

    @Test
    void shouldRefuseToStartAWorkerThatIsAlive() throws Exception {
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo).start()) {
            long pid = worker.pid().orElseThrow();

            WorkerIsAlreadyAliveException refused = assertThrows(WorkerIsAlreadyAliveException.class, worker::start);

            assertTrue(refused.getMessage().contains("join() or terminate()"), refused.getMessage());
            assertTrue(worker.isAlive());
            assertEquals(pid, worker.pid().orElseThrow());
            assertEchoes(worker, "still the same worker");
        }
    }

    @Test
    void shouldRestartAnEndedWorkerAsAFreshOne() throws Exception {
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::obeyCloseRequest)) {
            assertSame(worker, worker.start());
            long firstPid = worker.pid().orElseThrow();
            Messenger first = worker.messenger();
            assertEchoes(worker, "first");
            assertEquals(1, first.requestsSent(null));
            assertTimeoutPreemptively(PATIENCE, () -> worker.join());
            assertFalse(worker.isAlive());
            assertThrows(WorkerIsAlreadyDeadException.class, worker::join);
            assertThrows(WorkerIsAlreadyDeadException.class, worker::terminate);

            worker.start();

            assertTrue(worker.isAlive());
            assertNotEquals(firstPid, worker.pid().orElseThrow());
            Messenger second = worker.messenger();
            assertNotSame(first, second);
            assertEquals(0, second.requestsSent(null));
            assertEquals(0, second.repliesReceived(null));
            assertEquals(0, second.messagesSent(null));
            assertEquals(0, second.messagesReceived(null));
            assertEchoes(worker, "second");
            assertEquals(1, second.requestsSent(null));
            assertEquals(1, first.requestsSent(null));
        }
    }

    @Test
    void shouldJoinAWorkerThatObeysTheCloseRequest() {
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::obeyCloseRequest).start()) {
            long pid = worker.pid().orElseThrow();

            assertTimeoutPreemptively(PATIENCE, () -> worker.join());

            assertFalse(worker.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
        }
    }

    @Test
    void shouldReportAJoinThatTimesOutAndLeaveTheWorkerRunning() throws Exception {
        var options = WorkerOptions.defaults().withStopTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2));
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::ignoreCloseRequests, options).start()) {
            assertEquals("ready", worker.messenger().receiveBlocking(PATIENCE));

            assertFalse(worker.join(Duration.ofMillis(200)));

            assertTrue(worker.isAlive());
            assertEquals("ignored a close request", worker.messenger().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldTerminateAWorkerThatIgnoresCloseRequests() throws Exception {
        var options = WorkerOptions.defaults().withStopTimeouts(Duration.ofMillis(200), Duration.ofSeconds(2));
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::ignoreCloseRequests, options).start()) {
            assertEquals("ready", worker.messenger().receiveBlocking(PATIENCE));
            long pid = worker.pid().orElseThrow();

            assertTimeoutPreemptively(PATIENCE, worker::terminate);

            assertFalse(worker.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            WorkerDiedException ended = endOfMessages(worker.messenger());
            assertEquals(128 + 15, ended.exitCode().orElse(-1), "ended by SIGTERM: " + ended.getMessage());
            assertThrows(WorkerIsAlreadyDeadException.class, worker::terminate);
        }
    }

    @Test
    void shouldKillAWorkerThatIgnoresCloseRequestsAndSigterm() throws Exception {
        var options = WorkerOptions.defaults().withStopTimeouts(Duration.ofMillis(200), Duration.ofMillis(500));
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::ignoreCloseRequestsAndSigterm, options)
                .start()) {
            assertEquals("ready", worker.messenger().receiveBlocking(PATIENCE));

            assertTimeoutPreemptively(PATIENCE, worker::terminate);

            assertFalse(worker.isAlive());
            WorkerDiedException ended = endOfMessages(worker.messenger());
            assertEquals(128 + 9, ended.exitCode().orElse(-1), "ended by SIGKILL: " + ended.getMessage());
        }
    }

    @Test
    void shouldCloseIdempotently() throws Exception {
        var never = new WorkerResource<Void>(WorkerLifecycleTest::echo);
        never.close();
        never.close();

        var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo).start();
        long pid = worker.pid().orElseThrow();
        assertEchoes(worker, "before close");

        assertTimeoutPreemptively(PATIENCE, worker::close);
        assertTimeoutPreemptively(PATIENCE, worker::close);

        assertFalse(worker.isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThrows(WorkerIsAlreadyDeadException.class, worker::terminate);
        assertThrows(WorkerIsAlreadyDeadException.class, worker::join);
    }

    @Test
    void shouldRefuseATargetThatIsNotSerializableAndLeaveNothingRunning() {
        Set<Long> childrenBefore = children();
        try (var worker = new WorkerResource<>(new HoldsALock())) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, worker::start);

            String message = refused.getMessage();
            assertTrue(message.contains(HoldsALock.class.getName()), message);
            assertTrue(message.contains("java.lang.Object is not Serializable"), message);
            assertTrue(message.contains("static method reference"), message);
            assertTrue(message.contains("transient"), message);
            assertFalse(worker.isAlive());
            assertThrows(WorkerIsDeadException.class, worker::pid);
            assertThrows(WorkerIsDeadException.class, worker::messenger);
            assertEquals(Set.of(), difference(children(), childrenBefore));
        }
    }

    @Test
    void shouldRefuseAStartArgumentThatIsNotSerializable() {
        WorkerTarget<Object> target = (messenger, argument) -> { };
        try (var worker = new WorkerResource<>(target)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> worker.start(new Object()));

            assertTrue(refused.getMessage().contains("is not Serializable"), refused.getMessage());
            assertFalse(worker.isAlive());
        }
    }

    @Test
    void shouldListTheLaunchersWhenTheNameIsUnknown() {
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo,
                WorkerOptions.defaults().withLauncher("jvm-pool"))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, worker::start);

            assertTrue(refused.getMessage().contains("'jvm-pool'"), refused.getMessage());
            assertTrue(refused.getMessage().contains("[jvm, slurm, ssh, thread]"), refused.getMessage());
            assertFalse(worker.isAlive());
            assertThrows(WorkerIsDeadException.class, worker::pid);
        }
    }

    @Test
    void shouldListTheSerializersWhenTheNameIsUnknown() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.defaults().withSerializer("kryo5"));

        assertTrue(refused.getMessage().contains("'kryo5'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("[java, kryo]"), refused.getMessage());
    }

    @Test
    void shouldSayWhyAWorkerJvmDidNotComeUp() {
        Set<Long> childrenBefore = children();
        var options = WorkerOptions.defaults().withJvmOptions(List.of("-XX:+NoSuchCoprocOption"));
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo, options)) {
            WorkerStartException failed = assertThrows(WorkerStartException.class, worker::start);

            String message = failed.getMessage();
            assertTrue(message.contains("exit code 1"), message);
            assertTrue(message.contains("NoSuchCoprocOption"), "the stderr tail: " + message);
            assertFalse(worker.isAlive());
            assertEquals(Set.of(), difference(children(), childrenBefore));
        }
    }

    @Test
    void shouldSayWhyAWorkerCouldNotLoadItsTarget() {
        try (var worker = new WorkerResource<>(new RefusesToLoad())) {
            WorkerStartException failed = assertThrows(WorkerStartException.class, worker::start);

            String message = failed.getMessage();
            assertTrue(message.contains("could not load its target"), message);
            assertTrue(message.contains("this target refuses to load in the worker"), message);
            assertFalse(worker.isAlive());
        }
    }

    @Test
    void shouldGiveUpOnAWorkerThatDoesNotConnectWithinTheStartTimeout() {
        SilentWorker silent = new SilentWorker();
        var options = WorkerOptions.defaults().withStartTimeout(Duration.ofMillis(300));
        try (var worker = new WorkerResource<Void>(WorkerLifecycleTest::echo, options, spec -> silent)) {
            WorkerStartException failed = assertThrows(WorkerStartException.class, worker::start);

            assertTrue(failed.getMessage().contains("did not connect within PT0.3S"), failed.getMessage());
            assertFalse(silent.isAlive(), "start() ended the worker it gave up on");
            assertFalse(worker.isAlive());
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static Set<Long> difference(Set<Long> after, Set<Long> before) {
        return after.stream().filter(pid -> !before.contains(pid)).collect(Collectors.toSet());
    }
}
