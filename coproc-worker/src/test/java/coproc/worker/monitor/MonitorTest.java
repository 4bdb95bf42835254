package coproc.worker.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against real worker JVMs: memory, CPU and ended processes as {@code /proc} shows
 * them, heap figures as the workers report them, notes, the CSV log, figures and JFR events.
 * Waits are Awaitility's, with generous bounds that are hang guards, not timing expectations.
 */
class MonitorTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final MonitorOptions QUICK = MonitorOptions.defaults().withInterval(Duration.ofMillis(50));
    private static final long MIB = 1024 * 1024;

    /** What the allocating worker holds, so that it stays reachable. */
    static volatile byte[][] kept;
    static volatile long sink;

    @TempDir
    Path temp;

    /** On each request, allocates that many MiB, writes every page, and replies. */
    static void allocateOnRequest(Messenger messenger, Void unused) {
        while (true) {
            int megabytes = messenger.<Integer>receiveBlocking();
            byte[][] arrays = new byte[megabytes][];
            for (int i = 0; i < megabytes; i++) {
                arrays[i] = new byte[(int) MIB];
                Arrays.fill(arrays[i], (byte) 1);
            }
            kept = arrays;
            messenger.sendReply(megabytes);
        }
    }

    /** Keeps one core busy until asked to close. */
    static void spin(Messenger messenger, Void unused) {
        messenger.sendNoRequest("spinning");
        long x = 0;
        while (messenger.available() == 0) {
            for (int i = 0; i < 1_000_000; i++) {
                x += i * 31L ^ x;
            }
            sink = x;
        }
    }

    /** Waits for messages that never come, using no CPU. */
    static void idle(Messenger messenger, Void unused) {
        messenger.sendNoRequest("idle");
        messenger.receiveBlocking("nothing comes here");
    }

    /** Returns, ending the worker, on the first message. */
    static void exitOnRequest(Messenger messenger, Void unused) {
        messenger.receiveBlocking();
    }

    private static WorkerResource<Void> worker(coproc.api.WorkerTarget<Void> target, String... jvmOptions) {
        return new WorkerResource<>(target, WorkerOptions.defaults().withJvmOptions(List.of(jvmOptions)));
    }

    private static long pid(WorkerResource<?> worker) {
        return worker.pid().orElseThrow();
    }

    private static MonitorSample latest(Monitor monitor, long pid) {
        List<MonitorSample> samples = monitor.stats().samplesOf(pid);
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    @Test
    void shouldSeeTheResidentMemoryOfAWorkerRiseWhenItAllocates() throws Exception {
        try (Monitor monitor = Monitor.start(QUICK);
                var worker = worker(MonitorTest::allocateOnRequest, "-Xmx512m", "-Xms32m").start()) {
            monitor.updateProcesses();
            await().atMost(PATIENCE).until(() -> monitor.stats().samplesOf(pid(worker)).size() >= 2);
            long before = monitor.stats().samplesOf(pid(worker)).stream()
                    .mapToLong(MonitorSample::residentBytes).max().orElseThrow();

            worker.messenger().sendRequest(200);
            assertEquals(200, worker.messenger().<Integer>receiveBlocking(PATIENCE));

            await().atMost(PATIENCE).untilAsserted(() -> {
                MonitorSample after = latest(monitor, pid(worker));
                assertTrue(after.residentBytes() - before >= 150 * MIB, () -> "before " + before / MIB
                        + " MiB, now " + after);
                // started after the monitor, the worker reports its heap itself
                assertTrue(after.heapUsedBytes() >= 150 * MIB, after::toString);
                assertTrue(after.heapCommittedBytes() >= after.heapUsedBytes(), after::toString);
                assertTrue(after.gcMillis() >= 0, after::toString);
            });
        }
    }

    @Test
    void shouldKeepNotesInOrderWithTheirTimes() {
        Instant before;
        Instant after;
        MonitorResult result;
        try (Monitor monitor = Monitor.start(QUICK)) {
            before = Instant.now();
            monitor.note("first");
            monitor.note("second", "with details");
            monitor.note("third", "", false);
            after = Instant.now();
            assertEquals(List.of("first", "second", "third"), texts(monitor.stats().notes()));
            result = monitor.stop();
        }
        List<MonitorNote> notes = result.notes();
        assertEquals(List.of("first", "second", "third"), texts(notes));
        assertEquals(List.of("", "with details", ""), notes.stream().map(MonitorNote::details).toList());
        assertEquals(List.of(true, true, false), notes.stream().map(MonitorNote::label).toList());
        for (int i = 0; i < notes.size(); i++) {
            MonitorNote note = notes.get(i);
            assertFalse(note.time().isBefore(before) || note.time().isAfter(after), note::toString);
            assertTrue(i == 0 || !note.time().isBefore(notes.get(i - 1).time()), note::toString);
            assertTrue(note.seconds() >= 0, note::toString);
        }
    }

    private static List<String> texts(List<MonitorNote> notes) {
        return notes.stream().map(MonitorNote::text).toList();
    }

    @Test
    void shouldMeasureTheCpuOfASpinningWorkerAndOfAnIdleOne() {
        try (var spinning = worker(MonitorTest::spin).start();
                var idle = worker(MonitorTest::idle).start();
                Monitor monitor = Monitor.start(QUICK.withInterval(Duration.ofMillis(200)))) {
            assertEquals("spinning", spinning.messenger().receiveBlocking());
            assertEquals("idle", idle.messenger().receiveBlocking());

            await().atMost(PATIENCE).untilAsserted(() -> {
                MonitorSample busy = latest(monitor, pid(spinning));
                MonitorSample resting = latest(monitor, pid(idle));
                assertTrue(busy != null && busy.cpuPercent() > 50, () -> "spinning: " + busy);
                assertTrue(resting != null && resting.cpuPercent() < 20, () -> "idle: " + resting);
            });
            // started before the monitor: /proc figures only
            assertFalse(latest(monitor, pid(idle)).hasHeap());
        }
    }

    @Test
    void shouldWriteACsvLogThatReadsBackIntoTheSameSamplesAndNotes() throws Exception {
        Path csv = temp.resolve("logs/monitor.csv");
        MonitorResult result;
        try (Monitor monitor = Monitor.start(QUICK.withLog(csv))) {
            monitor.note("a note, with \"quotes\"", "and\na second line");
            await().atMost(PATIENCE).until(() -> monitor.stats().samples().size() >= 5);
            // written as it goes: readable while the monitor runs
            await().atMost(PATIENCE).until(() -> MonitorCsv.read(csv).samples().size() >= 5);
            monitor.note("last");
            result = monitor.stop();
        }
        MonitorResult read = MonitorCsv.read(csv);
        assertEquals(result.samples(), read.samples());
        assertEquals(result.notes(), read.notes());
        assertEquals(Set.of(ProcessHandle.current().pid()), Set.copyOf(read.pids()), "only the host: no workers");
    }

    @Test
    void shouldSaveFiguresOfTheRequestedSize() throws Exception {
        Path saved = temp.resolve("figures/now.png");
        Path periodic = temp.resolve("periodic.png");
        try (Monitor monitor = Monitor.start(QUICK.withFigure(periodic).withFigureSize(640, 360).withSaveEvery(5))) {
            monitor.note("before the figure");
            monitor.saveFigure(saved);
            assertSize(saved, 640, 360);
            await().atMost(PATIENCE).until(() -> Files.exists(periodic));
        }
        assertSize(periodic, 640, 360);
        Path here = temp.resolve("here.png");
        MonitorResult result = new MonitorResult(List.of(), List.of());
        result.saveFigure(here, 320, 200);
        assertSize(here, 320, 200);
    }

    private static void assertSize(Path png, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(List.of(width, height), List.of(image.getWidth(), image.getHeight()), png::toString);
    }

    @Test
    void shouldReportAWorkerThatExitsAsEnded() {
        try (Monitor monitor = Monitor.start(QUICK);
                var worker = worker(MonitorTest::exitOnRequest).start()) {
            long pid = pid(worker);
            monitor.updateProcesses();
            await().atMost(PATIENCE).until(() -> !monitor.stats().samplesOf(pid).isEmpty());

            worker.messenger().sendNoRequest("exit now");
            worker.join();

            await().atMost(PATIENCE).until(() -> latest(monitor, pid).ended());
            MonitorSample ended = latest(monitor, pid);
            assertEquals(0, ended.residentBytes(), ended::toString);
            assertEquals(1, monitor.stats().samplesOf(pid).stream().filter(MonitorSample::ended).count());
            int total = monitor.stats().samples().size();
            await().atMost(PATIENCE).until(() -> monitor.stats().samples().size() > total); // still sampling
            assertEquals(1, monitor.stats().samplesOf(pid).stream().filter(MonitorSample::ended).count());
        }
    }

    @Test
    void shouldLeaveNoProcessOnceClosed() {
        Set<Long> before = descendants();
        Monitor monitor = Monitor.start(QUICK);
        Set<Long> running = descendants();
        running.removeAll(before);
        assertFalse(running.isEmpty(), "the monitor's worker");
        monitor.close();

        Set<Long> after = descendants();
        after.removeAll(before);
        assertEquals(Set.of(), after);
        assertThrows(IllegalStateException.class, () -> monitor.note("too late"));
        assertEquals(monitor.stats(), monitor.stop(), "the final result, again");
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    @Test
    void shouldSampleAProcessThatIsNotAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try (Monitor monitor = Monitor.start(QUICK.withPid(sleep.pid()).withDescendants(false))) {
            await().atMost(PATIENCE).until(() -> monitor.stats().samples().size() >= 2);
            MonitorSample sample = latest(monitor, sleep.pid());
            assertEquals("sleep", sample.command());
            assertFalse(sample.hasHeap(), sample::toString);
            assertTrue(sample.residentBytes() > 0, sample::toString);
            assertEquals(Set.of(sleep.pid()), monitor.stats().pids());
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldCommitJfrEventsForSamplesAndNotes() throws Exception {
        Path file = temp.resolve("monitor.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("coproc.MonitorSample");
            recording.enable("coproc.MonitorNote");
            recording.start();
            try (Monitor monitor = Monitor.start(QUICK)) {
                monitor.note("recorded", "in JFR");
                await().atMost(PATIENCE).until(() -> monitor.stats().samples().size() >= 2);
            }
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        RecordedEvent note = events.stream().filter(e -> e.getEventType().getName().equals("coproc.MonitorNote"))
                .findFirst().orElseThrow();
        assertEquals("recorded", note.getString("text"));
        assertEquals("in JFR", note.getString("details"));
        RecordedEvent sample = events.stream().filter(e -> e.getEventType().getName().equals("coproc.MonitorSample"))
                .findFirst().orElseThrow();
        assertEquals(ProcessHandle.current().pid(), sample.getLong("pid"));
        assertTrue(sample.getLong("residentBytes") > 0);
    }

    @Test
    void shouldRefuseToStartWhereThereIsNoProc() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Monitor.checkSupported("Mac OS X", false));
        assertTrue(e.getMessage().contains("Mac OS X") && e.getMessage().contains("Linux"), e.getMessage());
        Monitor.checkSupported("Linux", true);
    }

    @Test
    void shouldRefuseALogOrFigureThatCannotBeWritten() throws Exception {
        Path file = Files.createFile(temp.resolve("a file"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Monitor.start(QUICK.withLog(file.resolve("monitor.csv"))));
        assertTrue(e.getMessage().contains("log") && e.getMessage().contains("a file"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Monitor.start(QUICK.withFigure(temp)));
        assertTrue(e.getMessage().contains("figure") && e.getMessage().contains(temp.toString()), e.getMessage());
    }

    @Test
    void shouldNameTheDependencyToAddWhenJFreeChartIsMissing() {
        String message = Figures.missingDependency();
        assertTrue(message.contains("org.jfree:jfreechart:1.5.6"), message);
        assertEquals(null, Figures.missingHere(), "the tests have it");
    }

    @Test
    void shouldRefuseAPidThatNoProcessHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Monitor.start(QUICK.withPid(Integer.MAX_VALUE)));
        assertTrue(e.getMessage().contains(Integer.toString(Integer.MAX_VALUE)), e.getMessage());
    }
}
