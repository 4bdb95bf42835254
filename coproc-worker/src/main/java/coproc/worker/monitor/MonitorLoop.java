package coproc.worker.monitor;

import coproc.messenger.internal.Daemons;
import coproc.api.Message;
import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The monitor's worker: samples the monitored processes every interval, sends each round's
 * samples to the host, appends them and the host's notes to the CSV log, and draws figures on
 * a thread of its own so that drawing never delays a sample. Ends when the host asks it to
 * close, after a last round, with the log flushed and the figure saved a last time.
 */
final class MonitorLoop {

    private static final System.Logger LOG = System.getLogger(MonitorLoop.class.getName());
    /** Descendants are looked for at least this often, and whenever the host asks. */
    private static final long RESCAN_NANOS = 1_000_000_000L;

    private final Messenger messenger;
    private final MonitorSettings settings;
    private final ProcSampler sampler;
    private final CsvLog log;
    private final List<MonitorSample> samples = new ArrayList<>();
    private final List<MonitorNote> notes = new ArrayList<>();
    private final ExecutorService drawer = Executors.newSingleThreadExecutor(Daemons.factory("coproc-monitor-figure"));
    /** Whether the drawer is busy with a periodic figure: the next one is skipped until it is done. */
    private final AtomicBoolean drawing = new AtomicBoolean();
    private final long self = ProcessHandle.current().pid();
    private List<Long> pids = List.of();
    /** When the first round was taken: what the samples' and notes' seconds count from. */
    private Instant start;
    private long lastScan = Long.MIN_VALUE;
    private boolean rescan = true;
    private long rounds;
    private long slowestRoundNanos;

    private MonitorLoop(Messenger messenger, MonitorSettings settings) throws IOException {
        this.messenger = messenger;
        this.settings = settings;
        this.sampler = new ProcSampler(settings.heapDirectory() == null ? null : Path.of(settings.heapDirectory()));
        this.log = settings.log() == null ? null : new CsvLog(Path.of(settings.log()));
    }

    /**
     * The worker target: runs the monitor until the host closes it.
     *
     * @param messenger the pipe to the host
     * @param settings what to sample and where to write
     * @throws IOException if the log cannot be written; the host's next receive throws it
     */
    static void run(Messenger messenger, MonitorSettings settings) throws IOException {
        MonitorLoop loop = new MonitorLoop(messenger, settings);
        try {
            loop.sampleUntilClosed();
        } finally {
            loop.finish();
        }
    }

    private void sampleUntilClosed() throws IOException {
        long next = System.nanoTime();
        try {
            while (true) {
                /* At every wake-up: a frame that one receive drained into another channel's
                   queue waits at most until the next round. */
                receive();
                long wait = next - System.nanoTime();
                if (wait > 0 && !rescan) {
                    messenger.awaitAvailable(Duration.ofNanos(wait));
                    continue;
                }
                round();
                next = Math.max(next + settings.intervalNanos(), System.nanoTime());
            }
        } catch (ResourceRequestedCloseException closing) {
            receive(); // what the host sent before it asked to close
            round();
        }
    }

    /** Takes one sample of every process, sends them to the host, logs them, and saves the figure if due. */
    private void round() throws IOException {
        long began = System.nanoTime();
        if (rescan || began - lastScan >= RESCAN_NANOS) {
            pids = ProcessTree.of(settings.pid(), settings.descendants(), self);
            lastScan = began;
            rescan = false;
        }
        Instant time = Instant.now();
        if (start == null) {
            start = time;
        }
        List<MonitorSample> batch = sampler.sample(pids, time, seconds(start, time), System.nanoTime());
        slowestRoundNanos = Math.max(slowestRoundNanos, System.nanoTime() - began);
        samples.addAll(batch);
        messenger.sendNoRequest(batch, Channels.SAMPLES);
        if (log != null) {
            log.samples(batch);
        }
        rounds++;
        if (settings.figure() != null && rounds % settings.saveEvery() == 0 && drawing.compareAndSet(false, true)) {
            MonitorResult snapshot = snapshot();
            drawer.execute(() -> {
                try {
                    Figures.save(snapshot, Path.of(settings.figure()), settings.width(), settings.height());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "The monitor could not save its figure " + settings.figure(), e);
                } finally {
                    drawing.set(false);
                }
            });
        }
    }

    /** Acts on what the host sent: notes, requests to look for processes and to save figures. */
    private void receive() throws IOException {
        for (MonitorNote note : messenger.<MonitorNote>receiveAvailable(Channels.NOTE)) {
            notes.add(note);
            if (log != null) {
                log.note(note);
            }
        }
        if (!messenger.receiveAvailable(Channels.UPDATE).isEmpty()) {
            rescan = true;
        }
        for (Message<String> request : messenger.<String>receiveAvailableMessages(Channels.FIGURE)) {
            MonitorResult snapshot = snapshot();
            drawer.execute(() -> {
                String outcome = "";
                try {
                    Figures.save(snapshot, Path.of(request.payload()), settings.width(), settings.height());
                } catch (IOException | RuntimeException e) {
                    outcome = "The monitor could not save the figure " + request.payload() + ": " + e.getMessage();
                }
                try {
                    messenger.sendReply(outcome, Channels.FIGURE);
                } catch (RuntimeException hostGone) {
                    // nobody waits for it any more
                }
            });
        }
    }

    /**
     * Seconds from one time to another, to the millisecond.
     *
     * @param start what seconds count from: the time of the monitor's first round
     * @param time the time
     * @return the seconds
     */
    static double seconds(Instant start, Instant time) {
        return Math.round((time.getEpochSecond() - start.getEpochSecond()) * 1000.0
                + (time.getNano() - start.getNano()) / 1e6) / 1000.0;
    }

    private MonitorResult snapshot() {
        return new MonitorResult(samples, notes);
    }

    /** Waits for the figures being drawn, saves the last one, closes the log. */
    private void finish() throws IOException {
        drawer.shutdown();
        try {
            drawer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (settings.figure() != null && !samples.isEmpty()) {
                Figures.save(snapshot(), Path.of(settings.figure()), settings.width(), settings.height());
            }
        } finally {
            if (log != null) {
                log.close();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "Monitor of " + settings.pid() + ": " + rounds
                    + " rounds, the slowest took " + slowestRoundNanos / 1000 + " µs");
        }
    }
}
