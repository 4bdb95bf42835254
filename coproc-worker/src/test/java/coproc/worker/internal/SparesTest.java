package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerTarget;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerOutput;
import coproc.worker.WorkerResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm starts on spare JVMs, with real worker JVMs: a start takes a spare that booted before
 * it was asked for; a start of another configuration does not; a spare killed while idle is
 * replaced, one killed once taken dies as a cold worker does; idle spares are retired. A taken
 * spare's output goes where its start says, and its standard input has ended, as a cold
 * worker's has. Each
 * test has a configuration of its own (a system property of its own on the worker's command
 * line), so that no test takes another's spares.
 */
class SparesTest {

    /** A hang guard, not a timing expectation: a spare boots as slowly as any JVM here. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<WorkerResource<?>> started = new ArrayList<>();
    private final CapturedLog log = new CapturedLog(WorkerEvents.LOGGER);
    private final List<LogRecord> logged = log.records();

    /** Echoes requests with its pid; answers "stdin" with what it reads there (-1 at its end, as a cold worker). */
    static void echo(Messenger messenger, Void unused) throws Exception {
        System.out.println("worker says hello");
        System.err.println("worker complains");
        while (true) {
            Object request = messenger.receiveBlocking();
            Object answer = "stdin".equals(request) ? System.in.read() : request;
            messenger.sendReply("pid " + ProcessHandle.current().pid() + ": " + answer);
        }
    }

    @BeforeEach
    void listen() {
        Spares.closeAll(); // another test's spares
        log.attach();
    }

    @AfterEach
    void closeAll() {
        log.detach();
        started.forEach(WorkerResource::close);
        Spares.closeAll();
    }

    /** Options of a configuration of this test's own, with spares. */
    private static WorkerOptions ownConfiguration(int spares, Duration idleTime) {
        return WorkerOptions.defaults().withSpares(spares, idleTime)
                .withJvmOptions(List.of("-Dcoproc.test.configuration=" + UUID.randomUUID()));
    }

    private <A> WorkerResource<A> start(WorkerResource<A> worker) {
        started.add(worker);
        return worker.start();
    }

    /** The classes a JVM of this machine has loaded, as {@code jcmd} lists them. */
    private static String loadedClasses(long pid) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "VM.class_hierarchy").redirectErrorStream(true).start();
        String listing = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return listing;
    }

    /**
     * A class that a spare loads only when it primes itself. Not a constant: workers load this
     * test class to run its targets, and must not load that class with it.
     */
    private static String primingOnly() {
        return SparePriming.NeverInitialized.class.getName();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String roundTrip(WorkerResource<Void> worker, String text) throws Exception {
        worker.messenger().sendRequest(text);
        return worker.messenger().receiveBlocking(PATIENCE);
    }

    /** A target whose class records when it was initialized, and answers with that and its JVM's spare classes. */
    static final class InitializationTimed implements WorkerTarget<Void> {

        private static final long INITIALIZED = System.nanoTime();

        @Override
        public void run(Messenger messenger, Void unused) {
            while (true) {
                messenger.receiveBlocking();
                messenger.sendReply(INITIALIZED + " " + System.getenv(Bootstrap.SPARE_CLASSES));
            }
        }
    }

    @Test
    void shouldTellSparesTheClassesOfRecentTargetsAndRunNoneOfTheirCodeBeforeTheyAreTaken() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE);
        start(new WorkerResource<Void>(new InitializationTimed(), options)); // cold: the spares boot after it
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long spare = Spares.idlePids().get(0);
        await().atMost(PATIENCE).until(() -> loadedClasses(spare).contains(InitializationTimed.class.getName()));
        long asked = System.nanoTime(); // one clock for every process of this machine

        var taken = start(new WorkerResource<Void>(new InitializationTimed(), options));

        assertEquals(spare, taken.pid().orElseThrow());
        String[] answer = roundTrip(taken, "when").split(" ");
        assertEquals(InitializationTimed.class.getName(), answer[1], "the target's class, loaded and linked ahead");
        long initialized = Long.parseLong(answer[0]);
        assertTrue(initialized > asked, "the class was initialized only once the spare was taken");
    }

    @Test
    void shouldTakeASpareBootedBeforeTheStartAskedForIt() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE);
        var first = start(new WorkerResource<Void>(SparesTest::echo, options));
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long spare = Spares.idlePids().get(0);
        // a spare that waits for a start primes itself
        await().atMost(PATIENCE).until(() -> loadedClasses(spare).contains(primingOnly()));

        Instant asked = Instant.now();
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        var second = start(new WorkerResource<Void>(SparesTest::echo, options
                .withStdout(WorkerOutput.toLines(out::add)).withStderr(WorkerOutput.toLines(err::add))));

        assertEquals(spare, second.pid().orElseThrow(), "the second start took the spare");
        assertNotEquals(first.pid(), second.pid());
        Instant booted = ProcessHandle.of(spare).orElseThrow().info().startInstant().orElseThrow();
        assertTrue(booted.isBefore(asked), () -> "booted " + booted + ", asked " + asked);
        assertEquals("pid " + spare + ": hello", roundTrip(second, "hello"));
        assertEquals("pid " + spare + ": -1", roundTrip(second, "stdin"), "its standard input has ended");
        // Its output goes where this start's options say, as a cold worker's does.
        await().atMost(PATIENCE).until(() -> out.contains("worker says hello") && err.contains("worker complains"));
        // A replacement boots.
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1 && !Spares.idlePids().contains(spare));
    }

    /**
     * The replacement of a taken spare waits {@link SparePool#REPLACEMENT_DELAY} before it
     * boots; a start that comes in the meantime and finds no idle spare boots it at once and
     * takes it, rather than starting cold, and the spare, awaited, does not prime itself. The
     * delay is made longer than any start here, so that the second start comes within it.
     */
    @Test
    void shouldGiveAStartThatFindsNoIdleSpareTheReplacementBootedForIt() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE).withStartTimeout(PATIENCE);
        start(new WorkerResource<Void>(SparesTest::echo, options));
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long spare = Spares.idlePids().get(0);
        SparePool.replacementDelay(Duration.ofHours(1));
        try {
            var taking = start(new WorkerResource<Void>(SparesTest::echo, options));
            assertEquals(spare, taking.pid().orElseThrow());
            logged.clear();

            var waiting = start(new WorkerResource<Void>(SparesTest::echo, options));

            long replacement = waiting.pid().orElseThrow();
            assertNotEquals(spare, replacement);
            assertTrue(logged.stream().noneMatch(r -> r.getMessage().contains("cold")),
                    () -> "not a cold start: " + logged.stream().map(LogRecord::getMessage).toList());
            assertEquals("pid " + replacement + ": x", roundTrip(waiting, "x"));
            String loaded = loadedClasses(replacement);
            assertTrue(loaded.contains(SpareWorker.class.getName()), loaded); // the listing is the spare's
            assertFalse(loaded.contains(primingOnly()), "a spare a start waited for did not prime");
        } finally {
            SparePool.replacementDelay(SparePool.REPLACEMENT_DELAY);
        }
    }

    @Test
    void shouldStartColdWhenTheJvmOptionsDiffer() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE);
        start(new WorkerResource<Void>(SparesTest::echo, options));
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long spare = Spares.idlePids().get(0);
        logged.clear();

        var other = start(new WorkerResource<Void>(SparesTest::echo, options.withJvmOptions(List.of("-Xmx64m"))));

        assertNotEquals(spare, other.pid().orElseThrow(), "the start with other JVM options did not take the spare");
        assertTrue(Spares.idlePids().contains(spare), "the spare still waits");
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.FINE
                && r.getMessage().contains("cold") && r.getMessage().contains("-Xmx64m")),
                () -> "a DEBUG record says why: " + logged.stream().map(LogRecord::getMessage).toList());
        assertTrue(roundTrip(other, "x").endsWith(": x"));
    }

    @Test
    void shouldReplaceASpareKilledWhileIdleWithoutTheNextStartSeeingIt() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE);
        start(new WorkerResource<Void>(SparesTest::echo, options));
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long killed = Spares.idlePids().get(0);

        assertTrue(ProcessHandle.of(killed).orElseThrow().destroyForcibly());

        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1 && !Spares.idlePids().contains(killed));
        var next = start(new WorkerResource<Void>(SparesTest::echo, options));
        assertNotEquals(killed, next.pid().orElseThrow());
        assertTrue(roundTrip(next, "after").endsWith(": after"));
    }

    @Test
    void shouldReportATakenSpareKilledAsAColdWorkerIsReported() throws Exception {
        WorkerOptions options = ownConfiguration(1, PATIENCE);
        start(new WorkerResource<Void>(SparesTest::echo, options));
        await().atMost(PATIENCE).until(() -> Spares.idlePids().size() == 1);
        long spare = Spares.idlePids().get(0);
        var taken = start(new WorkerResource<Void>(SparesTest::echo, options));
        assertEquals(spare, taken.pid().orElseThrow());
        roundTrip(taken, "alive");

        assertTrue(ProcessHandle.of(spare).orElseThrow().destroyForcibly());

        WorkerDiedException died = assertThrows(WorkerDiedException.class,
                () -> taken.messenger().receiveBlocking(PATIENCE));
        assertEquals(137, died.exitCode().orElse(-1), died::getMessage);
        assertTrue(died.getMessage().contains("worker complains"), died::getMessage);
        assertEquals(137, taken.onExit().get().intValue());
    }

    @Test
    void shouldRetireSparesIdleForTheirIdleTime() {
        WorkerOptions options = ownConfiguration(2, Duration.ofSeconds(1));
        start(new WorkerResource<Void>(SparesTest::echo, options));
        List<Long> spares = new CopyOnWriteArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            Spares.idlePids().stream().filter(pid -> !spares.contains(pid)).forEach(spares::add);
            return !spares.isEmpty();
        });

        await().atMost(PATIENCE).until(() -> Spares.idlePids().stream().noneMatch(spares::contains)
                && spares.stream().noneMatch(SparesTest::isAlive));
        assertFalse(spares.isEmpty());
    }
}
