package coproc.worker.monitor;

import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.api.WorkerDiedException;
import coproc.messenger.MessengerKind;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import coproc.worker.internal.monitor.HeapReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Samples the memory and CPU of a process (by default the host) and its descendants over
 * time, takes notes, and gives the samples back as records, a CSV file and a figure; the Java
 * version of the original coproc's {@code Monitor}.
 *
 * <pre>{@code
 * try (Monitor monitor = Monitor.start(MonitorOptions.defaults()
 *         .withLog(Path.of("monitor.csv")).withFigure(Path.of("monitor.png")))) {
 *     loadTheModel();
 *     monitor.note("model loaded");
 *     ...
 * } // the log and the figure are complete
 * }</pre>
 *
 * <h2>How it works</h2>
 * The monitor runs as a coproc worker: a small JVM of its own that keeps sampling while the
 * host is busy, in a GC pause or stuck. Every interval it reads, per process,
 * {@code /proc/<pid>/stat} and {@code /proc/<pid>/status} (well under a millisecond per
 * round for a few processes), sends the round's samples to the host, where a thread of this
 * object keeps them, and appends them to the CSV log. It draws the figure on a thread of its
 * own. It works on Linux only.
 *
 * <p>JVMs report their own heap figures (heap used and committed, GC time) through their
 * MXBeans, without attach: the host while a monitor runs, and every worker JVM that coproc
 * starts while a monitor runs in its host. Workers started before the monitor show only the
 * {@code /proc} figures.
 *
 * <h2>Figures</h2>
 * Figures are drawn with JFreeChart, an optional dependency: add
 * {@code org.jfree:jfreechart:1.5.6} to your project to draw them. The monitor's worker loads
 * it from the host's module path or class path; your module needs no {@code requires} for it
 * unless it draws in its own JVM with {@link MonitorResult#saveFigure}.
 *
 * <h2>JFR</h2>
 * Each sample and note is also a JFR event of the host JVM, {@code coproc.MonitorSample} and
 * {@code coproc.MonitorNote} (category coproc / Monitor), committed only while a recording
 * runs. For example {@code java -XX:StartFlightRecording:filename=run.jfr ...}, then
 * {@code jfr print --events coproc.MonitorSample,coproc.MonitorNote run.jfr}, or open the file in
 * JDK Mission Control.
 *
 * <h2>Thread safety</h2>
 * Every method may be called from any thread. Notes from one thread keep their order.
 */
public final class Monitor implements AutoCloseable {

    /** How long a closing monitor may take to save its last figure and end before it is stopped. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final MonitorOptions options;
    /** When the monitor took its first round: what the notes' seconds count from. */
    private final Instant start;
    /** Whether the monitor's worker can draw: JFreeChart is on the module path or class path. */
    private final boolean canDraw;
    private final WorkerResource<MonitorSettings> worker;
    private final SampleReceiver receiver;
    /* Guarded by this: the notes so far; whether stop() has begun; its result once done. */
    private final List<MonitorNote> notes = new ArrayList<>();
    private boolean stopping;
    private MonitorResult result;

    private Monitor(MonitorOptions options, Instant start, boolean canDraw, WorkerResource<MonitorSettings> worker,
            SampleReceiver receiver) {
        this.options = options;
        this.start = start;
        this.canDraw = canDraw;
        this.worker = worker;
        this.receiver = receiver;
    }

    /**
     * Starts a monitor of the host and its descendants, with the default options.
     *
     * @return the running monitor
     * @see #start(MonitorOptions)
     */
    public static Monitor start() {
        return start(MonitorOptions.defaults());
    }

    /**
     * Starts a monitor: its worker JVM, which takes a first round of samples before this
     * returns (usually within a few hundred milliseconds; at most a minute).
     *
     * @param options what to sample and where to write
     * @return the running monitor
     * @throws UnsupportedOperationException if this is not Linux (the monitor reads {@code /proc})
     * @throws IllegalArgumentException if no process has the pid, or the log or figure file
     *     cannot be written (the message names it)
     * @throws IllegalStateException if a figure file is set but JFreeChart is missing (the
     *     message names the dependency to add), or the monitor could not take its first
     *     samples (for example, its log cannot be written; the message says why)
     * @throws coproc.api.WorkerStartException if the monitor's worker JVM did not come up
     */
    public static Monitor start(MonitorOptions options) {
        Objects.requireNonNull(options, "options");
        checkSupported(System.getProperty("os.name"), Files.isReadable(ProcessTree.PROC.resolve("self/stat")));
        if (ProcessHandle.of(options.pid()).isEmpty()) {
            throw new IllegalArgumentException("No process has the pid " + options.pid() + " to monitor");
        }
        options.log().ifPresent(file -> checkWritable(file, "log"));
        options.figure().ifPresent(file -> checkWritable(file, "figure"));
        List<String> drawing = Figures.workerOptions();
        if (drawing == null && options.figure().isPresent()) {
            throw new IllegalStateException(Figures.missingDependency());
        }
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true"));
        jvmOptions.addAll(drawing == null ? List.of() : drawing);
        Path heap = HeapReports.open(options.interval());
        MonitorSettings settings = new MonitorSettings(options.pid(), options.descendants(),
                options.interval().toNanos(), options.log().map(Path::toString).orElse(null),
                options.figure().map(Path::toString).orElse(null), options.figureWidth(), options.figureHeight(),
                options.saveEvery(), heap.toString());
        // A JVM of this machine's, whatever the default launcher: it reads this machine's /proc.
        WorkerResource<MonitorSettings> worker = new WorkerResource<>(MonitorLoop::run, WorkerOptions.defaults()
                .withLauncher("jvm").withMessengerKind(MessengerKind.MULTI).withJvmOptions(jvmOptions));
        try {
            worker.start(settings);
            SampleReceiver receiver = new SampleReceiver(worker.messenger());
            receiver.start();
            RuntimeException failed = receiver.awaitFirstRound(START_TIMEOUT);
            if (failed != null) {
                throw new IllegalStateException("The monitor could not start: " + failed.getMessage(), failed);
            }
            Instant start = receiver.samples().get(0).time();
            return new Monitor(options, start, drawing != null, worker, receiver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.close();
            HeapReports.close();
            throw new IllegalStateException("Interrupted while the monitor started", e);
        } catch (RuntimeException e) {
            worker.close();
            HeapReports.close();
            throw e;
        }
    }

    /** Makes the file's directory if needed, and fails unless the file can be written there. */
    private static void checkWritable(Path file, String what) {
        Path directory = file.getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot make the directory of the monitor's " + what + " " + file + ": "
                    + e, e);
        }
        if (!Files.isWritable(directory) || Files.isDirectory(file) || Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException("Cannot write the monitor's " + what + " " + file
                    + ": check the path and its permissions");
        }
    }

    /** Fails unless this is Linux with {@code /proc}; package access for tests. */
    static void checkSupported(String osName, boolean procReadable) {
        if (!"Linux".equals(osName) || !procReadable) {
            throw new UnsupportedOperationException("The coproc Monitor reads /proc, which only Linux has; this is "
                    + osName + (procReadable ? "" : " without a readable /proc") + ". Run it on Linux, or use JFR"
                    + " (jdk.GCHeapSummary, jdk.CPULoad events) elsewhere");
        }
    }

    /**
     * Adds a note, shown as a label on the figures. Does not block.
     *
     * @param text the note
     * @throws NullPointerException if the text is null
     * @throws IllegalStateException if the monitor has been stopped or has failed
     * @see #note(String, String, boolean)
     */
    public void note(String text) {
        note(text, "", true);
    }

    /**
     * Adds a note with details, shown as a label on the figures. Does not block.
     *
     * @param text the note
     * @param details more about it (in the log, not on the figure)
     * @throws NullPointerException if the text or the details are null
     * @throws IllegalStateException if the monitor has been stopped or has failed
     * @see #note(String, String, boolean)
     */
    public void note(String text, String details) {
        note(text, details, true);
    }

    /**
     * Adds a note: time-stamped now, kept in this object's {@link #stats()}, written to the log,
     * shown on the figures if {@code label}, and committed as a JFR event. Does not block.
     *
     * @param text the note
     * @param details more about it, or the empty string
     * @param label whether figures show it as a label
     * @throws NullPointerException if the text or the details are null
     * @throws IllegalStateException if the monitor has been stopped or has failed
     */
    public void note(String text, String details, boolean label) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(details, "details");
        synchronized (this) {
            checkRunning();
            Instant now = Instant.now();
            MonitorNote note = new MonitorNote(now, MonitorLoop.seconds(start, now), text, details, label);
            send(note, Channels.NOTE);
            notes.add(note);
            NoteEvent.commit(note);
        }
    }

    /**
     * Returns what has been sampled so far (the rounds that reached the host, which is
     * usually all but the one being taken) and the notes. After {@link #close()}, the final
     * result. Does not block on the monitor.
     *
     * @return the samples and notes
     */
    public synchronized MonitorResult stats() {
        return result != null ? result : new MonitorResult(receiver.samples(), notes);
    }

    /**
     * Asks the monitor to look for the process's descendants now, rather than within the
     * second, and to take a round of samples. Call it when workers came or went. Does not
     * block.
     *
     * @throws IllegalStateException if the monitor has been stopped or has failed
     */
    public synchronized void updateProcesses() {
        checkRunning();
        send("", Channels.UPDATE);
    }

    /**
     * Draws the figure of everything sampled so far into a PNG file, of the options' size; the
     * monitor's worker draws it. Blocks until the file is written: a few hundred milliseconds
     * the first time, less after.
     *
     * @param file the file; replaced whole, never left half written; its directory is made if
     *     needed
     * @throws IllegalStateException if JFreeChart is missing (the message names the dependency
     *     to add), or the monitor has been stopped or has failed
     * @throws UncheckedIOException if the monitor could not write the file
     */
    public void saveFigure(Path file) {
        Objects.requireNonNull(file, "file");
        if (!canDraw) {
            throw new IllegalStateException(Figures.missingDependency());
        }
        CompletableFuture<String> reply;
        synchronized (this) {
            checkRunning();
            reply = receiver.expectFigure();
            worker.messenger().sendRequest(file.toAbsolutePath().toString(), Channels.FIGURE);
        }
        String outcome;
        try {
            outcome = reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the monitor saved " + file, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The monitor ended before it saved " + file + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        if (!outcome.isEmpty()) {
            throw new UncheckedIOException(new IOException(outcome));
        }
    }

    /**
     * Stops the monitor and returns the final result: the monitor takes a last round of
     * samples, flushes its log, saves its figure file a last time, and ends. Blocks until it
     * has (at most about 30 seconds, then it is stopped by force). Idempotent: a second call
     * returns the same result.
     *
     * @return every sample and note
     * @throws IllegalStateException if the monitor had failed (the message says why); it is
     *     stopped all the same
     */
    public MonitorResult stop() {
        synchronized (this) {
            if (result != null) {
                return result;
            }
            if (!stopping) {
                stopping = true;
                try {
                    worker.messenger().sendCloseRequest();
                } catch (PipeException ended) {
                    // ended already: the receiver knows how
                }
            }
        }
        try {
            receiver.awaitEnd(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            worker.close();
        }
        RuntimeException end = receiver.end();
        synchronized (this) {
            if (result == null) {
                result = new MonitorResult(receiver.samples(), notes);
                HeapReports.close();
            }
        }
        if (end != null && !closedNormally(end)) {
            throw new IllegalStateException("The monitor failed: " + end.getMessage(), end);
        }
        return result;
    }

    /**
     * Stops the monitor, as {@link #stop()} does, for try-with-resources. Afterwards
     * {@link #stats()} returns the final result.
     *
     * @throws IllegalStateException if the monitor had failed; it is stopped all the same
     */
    @Override
    public void close() {
        stop();
    }

    private static boolean closedNormally(RuntimeException end) {
        if (end instanceof WorkerDiedException died) {
            return died.exitCode().orElse(-1) == 0;
        }
        return end instanceof PipeClosedException;
    }

    private void checkRunning() {
        if (stopping || result != null) {
            throw new IllegalStateException("The monitor has been stopped");
        }
        RuntimeException end = receiver.end();
        if (end != null) {
            throw new IllegalStateException("The monitor has ended: " + end.getMessage(), end);
        }
    }

    private void send(Object payload, String channel) {
        try {
            worker.messenger().sendNoRequest(payload, channel);
        } catch (PipeException e) {
            throw new IllegalStateException("The monitor has ended: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Monitor[" + options + ", " + worker + "]";
    }
}
