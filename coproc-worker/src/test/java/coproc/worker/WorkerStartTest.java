package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerStartException;
import coproc.api.WorkerTarget;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.Bootstrap;
import coproc.worker.internal.JvmLauncherProvider;
import coproc.worker.internal.ThreadLauncherProvider;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A worker's start: how its target gets to it (on its standard input for a {@code jvm} worker,
 * in memory for a {@code thread} worker, whatever its size), what a worker that starts a worker
 * of its own hands down, and a close request the host sends as soon as {@code start()} has
 * returned, which is the target's to see.
 */
class WorkerStartTest {

    /** A hang guard for receives and waits, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** More than a pipe's buffer (64 KiB): the host writes such a target while the worker reads it. */
    private static final int LARGE = 100_000;

    /** Tells the host that its first receive met the close request, then ends normally. */
    static void answerTheCloseRequest(Messenger messenger, Void unused) {
        try {
            Object first = messenger.receiveBlocking();
            messenger.sendNoRequest("the first receive returned " + first + " instead of throwing");
        } catch (ResourceRequestedCloseException e) {
            messenger.sendNoRequest("closing");
        }
    }

    /**
     * Answers a request with what its JVM's environment says of the target (its length, and
     * nothing of its bytes), and the next byte on standard input.
     */
    static void reportWhereTheTargetWas(Messenger messenger, Void unused) throws IOException {
        messenger.receiveBlocking();
        messenger.sendReply(List.of(String.valueOf(System.getenv("COPROC_TARGET_LENGTH")),
                String.valueOf(System.getenv("COPROC_TARGET")), String.valueOf(System.getenv("COPROC_SECRET")),
                System.in.read()));
    }

    /** Receives until the close request, which ends it with exit code 0. */
    static void receiveUntilClosed(Messenger messenger, Void unused) {
        while (true) {
            messenger.receiveBlocking();
        }
    }

    /**
     * The outer worker of {@link #shouldNotHandItsOwnSettingsToAWorkerItStarts}: starts an inner
     * worker with a large target, forwards the inner's reply to the host, and joins the inner.
     */
    static void relayAnInnerWorker(Messenger messenger, Long hostPid) throws Exception {
        if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != hostPid.longValue()) {
            // Only a worker JVM that ran the target its host got from the settings (inherited,
            // not its own) is here: it answers in the inner's place and starts no worker, which
            // would run this target again, and so on.
            messenger.receiveBlocking();
            messenger.sendReply("the outer target, run by the inner worker");
            return;
        }
        try (var inner = new WorkerResource<Void>(new Ballast("inner", ballast(LARGE))).start()) {
            inner.messenger().sendRequest("who are you?");
            messenger.sendNoRequest(inner.messenger().receiveBlocking(PATIENCE));
            inner.join();
        }
    }

    /** A target with state: replies to every request with its name and its ballast's size and checksum. */
    record Ballast(String name, byte[] bytes) implements WorkerTarget<Void> {

        private static final long serialVersionUID = 1L;

        @Override
        public void run(Messenger messenger, Void unused) {
            while (true) {
                messenger.receiveBlocking();
                messenger.sendReply(List.of(name, bytes.length, checksum(bytes)));
            }
        }
    }

    /** A target that can be sent, with as much ballast as asked for, but refuses to load in the worker. */
    static final class RefusesToLoad implements WorkerTarget<Void> {

        private static final long serialVersionUID = 1L;

        private final byte[] ballast;

        RefusesToLoad(int size) {
            this.ballast = ballast(size);
        }

        @Override
        public void run(Messenger messenger, Void argument) {
        }

        private void readObject(ObjectInputStream in) throws InvalidObjectException {
            throw new InvalidObjectException("this target refuses to load in the worker");
        }
    }

    private static byte[] ballast(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static long checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The size of a target and its argument, as they travel to the worker. */
    private static int encodedSize(WorkerTarget<?> target, Object argument) {
        return Bootstrap.encode(target, argument).length;
    }

    /** The named launcher, which also adds every worker it launches to a list. */
    private static Launcher recording(String launcher, List<WorkerProcess> launched) {
        Launcher real = launcher.equals("jvm") ? new JvmLauncherProvider().create()
                : new ThreadLauncherProvider().create();
        return spec -> {
            WorkerProcess worker = real.launch(spec);
            launched.add(worker);
            return worker;
        };
    }

    @ParameterizedTest(name = "{1} times with the {0} launcher")
    @CsvSource({"thread, 50", "jvm, 5"})
    void shouldHandTheTargetACloseRequestSentRightAfterStart(String launcher, int times) throws Exception {
        try (var worker = new WorkerResource<Void>(WorkerStartTest::answerTheCloseRequest,
                WorkerOptions.defaults().withLauncher(launcher))) {
            for (int i = 0; i < times; i++) {
                worker.start();
                Messenger messenger = worker.messenger();

                messenger.sendCloseRequest();

                assertEquals("closing", messenger.receiveBlocking(PATIENCE), "round " + i);
                assertTimeoutPreemptively(PATIENCE, () -> worker.join());
                WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                        () -> messenger.receiveBlocking(PATIENCE), "round " + i);
                assertEquals(0, ended.exitCode().orElse(-1), "round " + i + ": " + ended.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{2} times with the {0} launcher, by {1}")
    @CsvSource({"jvm, join, 3", "jvm, close, 3", "thread, join, 20", "thread, close, 20"})
    void shouldEndNormallyWhenStoppedRightAfterStart(String launcher, String stop, int times) {
        List<WorkerProcess> launched = new CopyOnWriteArrayList<>();
        // close() sends SIGTERM after the close timeout: long enough here for a loaded machine
        WorkerOptions options = WorkerOptions.defaults().withLauncher(launcher).withStopTimeouts(PATIENCE, PATIENCE);
        try (var worker = new WorkerResource<Void>(WorkerStartTest::receiveUntilClosed, options,
                recording(launcher, launched))) {
            for (int i = 0; i < times; i++) {
                worker.start();

                if (stop.equals("join")) {
                    assertTimeoutPreemptively(PATIENCE, () -> worker.join());
                } else {
                    assertTimeoutPreemptively(PATIENCE, worker::close);
                }

                assertEquals(i + 1, launched.size());
                WorkerProcess ended = launched.get(i);
                assertFalse(ended.isAlive(), "round " + i);
                assertEquals(OptionalInt.of(0), ended.exitCode(), "round " + i + ": " + ended);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldStartATargetLargerThanAPipesBuffer(String launcher) throws Exception {
        byte[] bytes = ballast(LARGE);
        var target = new Ballast("large", bytes);
        assertTrue(encodedSize(target, null) > LARGE, "the premise: this target is larger than a pipe's buffer");

        try (var worker = new WorkerResource<>(target, WorkerOptions.defaults().withLauncher(launcher)).start()) {
            worker.messenger().sendRequest("describe yourself");

            assertEquals(List.of("large", LARGE, checksum(bytes)), worker.messenger().receiveBlocking(PATIENCE));
            assertTimeoutPreemptively(PATIENCE, () -> worker.join());
            WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
        }
    }

    @ParameterizedTest(name = "{1} bytes of ballast, {0} launcher")
    @CsvSource({"jvm, 0", "jvm, " + LARGE, "thread, 0", "thread, " + LARGE})
    void shouldReportATargetThatCannotBeLoaded(String launcher, int ballast) {
        var target = new RefusesToLoad(ballast);
        assertEquals(ballast == 0, encodedSize(target, null) < LARGE,
                "the premise: only the target with ballast is larger than a pipe's buffer");
        List<WorkerProcess> launched = new CopyOnWriteArrayList<>();
        try (var worker = new WorkerResource<>(target, WorkerOptions.defaults().withLauncher(launcher),
                recording(launcher, launched))) {
            WorkerStartException failed = assertTimeoutPreemptively(PATIENCE,
                    () -> assertThrows(WorkerStartException.class, worker::start));

            String message = failed.getMessage();
            assertTrue(message.contains("could not load its target"), message);
            assertTrue(message.contains("this target refuses to load in the worker"), message);
            assertFalse(worker.isAlive());
            assertEquals(1, launched.size());
            assertFalse(launched.get(0).isAlive(), "start() left nothing running: " + launched.get(0));
        }
    }

    @Test
    void shouldKeepTheTargetAndTheSecretOutOfAJvmWorkersEnvironment() throws Exception {
        WorkerTarget<Void> target = WorkerStartTest::reportWhereTheTargetWas;
        int length = Bootstrap.encode(target, null).length;
        try (var worker = new WorkerResource<Void>(target).start()) {
            worker.messenger().sendRequest("where was your target?");

            // only its length is in the environment, and the secret is not: both came on standard
            // input, which holds nothing more (-1)
            assertEquals(List.of(String.valueOf(length), "null", "null", -1),
                    worker.messenger().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldNotHandItsOwnSettingsToAWorkerItStarts() throws Exception {
        long hostPid = ProcessHandle.current().pid();
        WorkerTarget<Long> outerTarget = WorkerStartTest::relayAnInnerWorker;
        assertNotEquals(encodedSize(outerTarget, hostPid), encodedSize(new Ballast("inner", ballast(LARGE)), null),
                "the premise: the targets differ in length, so a length handed down would be the wrong one");

        try (var outer = new WorkerResource<>(outerTarget).start(hostPid)) {
            assertEquals(List.of("inner", LARGE, checksum(ballast(LARGE))),
                    outer.messenger().receiveBlocking(PATIENCE));

            WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                    () -> outer.messenger().receiveBlocking(PATIENCE));
            assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
        }
    }

    @Test
    void shouldRunALambdaWhoseMethodCoprocCannotReachAsSerialized() throws Exception {
        // An unbound reference to a method of coproc.api, whose package is not open to coproc.worker
        // on the module path (on the class path, as under PIT, every package is open).
        try (var worker = new WorkerResource<Object>(Messenger::sendNoRequest).start("sent by Messenger::sendNoRequest")) {
            assertEquals("sent by Messenger::sendNoRequest", worker.messenger().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldRunALambdaWithWhatItCapturedInTheWorker() throws Exception {
        String prefix = "captured";
        int number = 7;
        WorkerTarget<String> target = (messenger, argument) -> messenger.sendNoRequest(
                prefix + " " + number + " " + argument + " in " + ProcessHandle.current().pid());
        try (var worker = new WorkerResource<>(target).start("and the argument")) {
            assertEquals("captured 7 and the argument in " + worker.pid().orElseThrow(),
                    worker.messenger().receiveBlocking(PATIENCE));
        }
    }
}
