package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worker lifecycle as JDK Flight Recorder events and log records, with real worker JVMs:
 * what a normal start and end, the stop ladder and a death report; and, with a stand-in
 * process, what the warning of a death says its exit code means. (The tests read the log
 * through java.util.logging, the default backend of System.Logger.)
 */
class WorkerEventsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> EVENTS = List.of("coproc.WorkerStarted", "coproc.WorkerStopStep",
            "coproc.WorkerEnded", "coproc.WorkerDied");

    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    private final CapturedLog log = new CapturedLog(WorkerEvents.LOGGER);
    private final List<LogRecord> logged = log.records();
    private RecordingStream recording;

    static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    static void exitWithFive(Messenger messenger, Void unused) {
        messenger.receiveBlocking();
        System.exit(5);
    }

    static void returnAfterOne(Messenger messenger, Void unused) {
        messenger.receiveBlocking();
    }

    static void ignoreCloseRequests(Messenger messenger, Void unused) throws InterruptedException {
        messenger.sendNoRequest("running");
        new CountDownLatch(1).await(); // never receives again, so never sees the close request
    }

    @BeforeEach
    void record() {
        recording = new RecordingStream();
        // The events are kept and read after the callback: a stream may otherwise hand the
        // next event of a type in the same object (seen as [SIGTERM, SIGTERM] for a close
        // request and a SIGTERM delivered together).
        recording.setReuse(false);
        for (String name : EVENTS) {
            recording.enable(name);
            recording.onEvent(name, events::add);
        }
        recording.startAsync();
        log.attach();
    }

    @AfterEach
    void stopRecording() {
        log.detach();
        recording.close();
    }

    private List<RecordedEvent> recorded(String name, long pid) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name) && e.getLong("pid") == pid).toList();
    }

    private List<LogRecord> loggedAtInfoOrAbove() {
        return logged.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
    }

    @Test
    void shouldRecordAStartAndAnEndAsAskedAndLogNothingAtInfo() throws TimeoutException {
        long pid;
        try (var worker = new WorkerResource<Void>(WorkerEventsTest::echo).start()) {
            pid = worker.pid().orElseThrow();
            worker.messenger().sendRequest(1);
            assertEquals(1, (int) worker.messenger().receiveBlocking(PATIENCE));
            worker.join();
        }

        await().atMost(PATIENCE).until(() -> recorded("coproc.WorkerEnded", pid).size() == 1);
        RecordedEvent started = recorded("coproc.WorkerStarted", pid).get(0);
        assertEquals("jvm", started.getString("launcher"));
        assertTrue(started.getDuration("timeToReady").toNanos() > 0, started::toString);
        assertEquals("a close request", recorded("coproc.WorkerStopStep", pid).get(0).getString("step"));
        RecordedEvent ended = recorded("coproc.WorkerEnded", pid).get(0);
        assertEquals(0, ended.getInt("exitCode"));
        assertTrue(ended.getBoolean("asked"));
        assertEquals(List.of(), recorded("coproc.WorkerDied", pid));

        assertEquals(List.of(), loggedAtInfoOrAbove(), "a normal run logs nothing at INFO");
        assertTrue(logged.stream().anyMatch(r -> r.getMessage().startsWith("Worker " + pid + " (jvm) started in")),
                () -> "started, at DEBUG: " + logged.stream().map(LogRecord::getMessage).toList());
    }

    @Test
    void shouldRecordAndWarnOfAWorkerThatDiesOnItsOwn() {
        try (var worker = new WorkerResource<Void>(WorkerEventsTest::exitWithFive).start()) {
            long pid = worker.pid().orElseThrow();
            worker.messenger().sendNoRequest("exit now");

            // Reported as it happens, while the host does nothing with the worker.
            await().atMost(PATIENCE).until(() -> recorded("coproc.WorkerDied", pid).size() == 1);
            assertEquals(5, recorded("coproc.WorkerDied", pid).get(0).getInt("exitCode"));
            await().atMost(PATIENCE).until(() -> !loggedAtInfoOrAbove().isEmpty());
            LogRecord warning = loggedAtInfoOrAbove().get(0);
            assertEquals(Level.WARNING, warning.getLevel());
            assertTrue(warning.getMessage().contains("Worker " + pid + " (jvm) died: it ended on its own with exit code 5"),
                    warning::getMessage);
            assertEquals(List.of(), recorded("coproc.WorkerEnded", pid));
        }
    }

    @Test
    void shouldRecordTheStopLadderOfAWorkerThatIgnoresItsCloseRequest() throws TimeoutException {
        var options = WorkerOptions.defaults().withStopTimeouts(Duration.ofMillis(200), Duration.ofSeconds(20));
        long pid;
        try (var worker = new WorkerResource<Void>(WorkerEventsTest::ignoreCloseRequests, options).start()) {
            pid = worker.pid().orElseThrow();
            assertEquals("running", worker.messenger().receiveBlocking(PATIENCE));
            worker.terminate();
        }

        await().atMost(PATIENCE).until(() -> recorded("coproc.WorkerEnded", pid).size() == 1);
        assertEquals(List.of("a close request", "SIGTERM"),
                recorded("coproc.WorkerStopStep", pid).stream().map(e -> e.getString("step")).toList());
        assertTrue(recorded("coproc.WorkerEnded", pid).get(0).getBoolean("asked"), "asked to end: not a death");
        assertEquals(List.of(), recorded("coproc.WorkerDied", pid));
        List<LogRecord> info = loggedAtInfoOrAbove();
        assertEquals(1, info.size(), () -> info.stream().map(LogRecord::getMessage).toList().toString());
        assertEquals(Level.INFO, info.get(0).getLevel());
        assertTrue(info.get(0).getMessage().startsWith("Stopping worker " + pid + " (jvm): sending SIGTERM"),
                info.get(0)::getMessage);
    }

    @Test
    void shouldReportAThreadWorkersEndAsItHappens() {
        var options = WorkerOptions.defaults().withLauncher("thread");
        try (var worker = new WorkerResource<Void>(WorkerEventsTest::returnAfterOne, options).start()) {
            worker.messenger().sendNoRequest("return now");

            // Reported as it happens, before the host joins or closes the worker.
            await().atMost(PATIENCE).until(() -> recorded("coproc.WorkerEnded", -1).size() == 1);
            RecordedEvent ended = recorded("coproc.WorkerEnded", -1).get(0);
            assertEquals("thread", ended.getString("launcher"));
            assertEquals(0, ended.getInt("exitCode"));
            assertFalse(ended.getBoolean("asked"), "it returned on its own");
        }
        assertEquals(List.of(), loggedAtInfoOrAbove());
    }

    @Test
    void shouldRecordTheDeathOfAWorkerWithoutAJvmOfItsOwnAsSoonAsItIsSeen() {
        StandInProcess worker = new StandInProcess(4_100_000_000L);
        WorkerEvents.started(worker, Launchers.named("thread"), System.nanoTime());

        worker.exit.complete(9);

        // Bounded below PIT's timeout, so that an event never committed fails here rather than hangs.
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded("coproc.WorkerDied", 4_100_000_000L).size() == 1);
        RecordedEvent died = recorded("coproc.WorkerDied", 4_100_000_000L).get(0);
        assertEquals(9, died.getInt("exitCode"));
        assertEquals("thread", died.getString("launcher"));
        assertEquals(List.of(), recorded("coproc.WorkerEnded", 4_100_000_000L));
    }

    @ParameterizedTest(name = "exit code {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1   | \" (its target threw: the host's next receive throws the exception, and the worker's stderr has its stack trace)\"",
        "2   | \" (it could not connect or load its target)\"",
        "5   | \"\"",
        "128 | \"\"",
        "129 | \" (killed by signal 1)\"",
        "134 | \" (killed by signal 6, SIGABRT: a JVM crash?)\"",
        "137 | \" (killed by signal 9, SIGKILL)\"",
        "159 | \" (killed by signal 31)\"",
        "160 | \"\"",
        "-1  | \" (unknown)\"",
    })
    void shouldSayInTheWarningOfADeathWhatItsExitCodeMeans(int exitCode, String meaning) {
        StandInProcess worker = new StandInProcess(4_000_000_000L + exitCode);
        WorkerEvents.started(worker, Launchers.named("thread"), System.nanoTime());

        worker.exit.complete(exitCode); // reports the end on this thread

        List<LogRecord> warnings = loggedAtInfoOrAbove();
        assertEquals(1, warnings.size(), () -> warnings.stream().map(LogRecord::getMessage).toList().toString());
        assertEquals(Level.WARNING, warnings.get(0).getLevel());
        String message = warnings.get(0).getMessage();
        String expected = "Worker " + (4_000_000_000L + exitCode) + " (thread) died: it ended on its own with exit code "
                + exitCode + meaning + ", after ";
        assertTrue(message.startsWith(expected), () -> message + "\ndoes not start with\n" + expected);
    }
}
