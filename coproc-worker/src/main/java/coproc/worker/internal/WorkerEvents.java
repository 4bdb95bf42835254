package coproc.worker.internal;

import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * Reports the life of the host's workers — started, each step of the stop ladder, ended,
 * died — through the {@link System.Logger} {@value #LOGGER} and as JDK Flight Recorder
 * events: the one place where the worker lifecycle is logged and recorded. The start, the
 * stop ladder and the launchers call it with one line each.
 *
 * <table class="striped">
 *   <caption>What is reported, at which level, as which event</caption>
 *   <thead><tr><th>what</th><th>level</th><th>JFR event</th></tr></thead>
 *   <tbody>
 *     <tr><td>a worker has started: pid, launcher, time to ready</td><td>DEBUG</td>
 *         <td>{@code coproc.WorkerStarted}</td></tr>
 *     <tr><td>a stop-ladder step: close request</td><td>DEBUG</td><td>{@code coproc.WorkerStopStep}</td></tr>
 *     <tr><td>a stop-ladder step: {@code SIGTERM}, the worker ignored its close request</td><td>INFO</td>
 *         <td>{@code coproc.WorkerStopStep}</td></tr>
 *     <tr><td>a stop-ladder step: {@code SIGKILL}, it ignored {@code SIGTERM} too</td><td>WARNING</td>
 *         <td>{@code coproc.WorkerStopStep}</td></tr>
 *     <tr><td>a worker has ended: asked to, or with exit code 0</td><td>DEBUG</td><td>{@code coproc.WorkerEnded}</td></tr>
 *     <tr><td>a worker has died: ended on its own with another exit code</td><td>WARNING</td>
 *         <td>{@code coproc.WorkerDied}</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>So a program whose workers start and end as it asks logs nothing at INFO. A worker's end
 * is reported once: when the host has asked it to end, or uses a launcher of its own, as the
 * host joins, terminates or closes it ({@link #reaped}); a worker of the {@code jvm} or
 * {@code thread} launcher that ends on its own, as it happens ({@link #exited}). Thread-safe.
 */
public final class WorkerEvents {

    /** The name of the logger. */
    public static final String LOGGER = "coproc.worker";

    private static final System.Logger LOG = System.getLogger(LOGGER);

    /** An exit code that is not known, in events. */
    private static final int UNKNOWN = -1;

    /** The workers that have started and whose end has not been reported yet. */
    private static final Map<WorkerProcess, Life> LIVE = new ConcurrentHashMap<>();

    private WorkerEvents() {
    }

    /** A step of the stop ladder. */
    public enum Step {
        /** A close request: the worker's next receive throws {@code ResourceRequestedCloseException}. */
        CLOSE_REQUEST("a close request"),
        /** A polite end: {@code SIGTERM} for a process, an interrupt for a thread. */
        SIGTERM("SIGTERM"),
        /** A forced end: {@code SIGKILL} for a process, an interrupt for a thread. */
        SIGKILL("SIGKILL");

        private final String text;

        Step(String text) {
            this.text = text;
        }
    }

    /**
     * Reports that a worker has started: it has loaded its target and been told to run it.
     *
     * @param worker the worker
     * @param launcher the launcher that started it
     * @param startNanos the {@link System#nanoTime()} at which its start began
     */
    public static void started(WorkerProcess worker, Launcher launcher, long startNanos) {
        long now = System.nanoTime();
        Life life = new Life(worker, Launchers.nameOf(launcher), now);
        LIVE.put(worker, life);
        LOG.log(Level.DEBUG, () -> "Worker " + life.name + " started in " + millis(now - startNanos) + " ms");
        commit(new WorkerStarted(), life, event -> event.timeToReady = now - startNanos);
        worker.onExit().thenAccept(code -> exited(worker, code));
        if (!worker.isAlive()) {
            reaped(worker); // it ended before it was registered: nobody else reports it
        }
    }

    /**
     * Reports a step of the stop ladder, before it is taken; a worker that ends after it has
     * been asked to is reported as ended, never as died.
     *
     * @param worker the worker
     * @param step the step
     */
    public static void stopping(WorkerProcess worker, Step step) {
        Life life = LIVE.get(worker);
        if (life == null) {
            return; // never started, or its end was reported already
        }
        long now = System.nanoTime();
        Step previous = life.lastStep;
        long since = now - life.lastStepNanos;
        life.lastStep = step;
        life.lastStepNanos = now;
        if (previous == null) {
            LOG.log(Level.DEBUG, () -> "Stopping worker " + life.name + ": sending " + step.text);
        } else {
            LOG.log(step == Step.SIGKILL ? Level.WARNING : Level.INFO, () -> "Stopping worker " + life.name
                    + ": sending " + step.text + ", as it has not ended " + millis(since) + " ms after "
                    + previous.text);
        }
        commit(new WorkerStopStep(), life, event -> event.step = step.text);
    }

    /**
     * Reports that a worker has ended, as a launcher that sees it happen tells, unless the
     * host has asked it to end: then {@link #reaped} reports it, on the thread that stopped it
     * (so the report is made before that thread goes on, and not lost if the JVM exits).
     *
     * @param worker the worker
     * @param exitCode its exit code
     */
    public static void exited(WorkerProcess worker, int exitCode) {
        Life life = LIVE.get(worker);
        if (life != null && life.lastStep == null && LIVE.remove(worker, life)) {
            report(life, exitCode);
        }
    }

    /**
     * Reports that the host has seen a worker end (joined, terminated or closed it), unless
     * its end was reported already.
     *
     * @param worker the worker
     */
    public static void reaped(WorkerProcess worker) {
        Life life = LIVE.remove(worker);
        if (life == null) {
            return;
        }
        if (worker.isAlive()) {
            LOG.log(Level.WARNING, () -> "Worker " + life.name + " still runs after the stop ladder;"
                    + " this host no longer watches it");
            return;
        }
        OptionalInt code = worker.exitCode();
        report(life, code.isPresent() ? code.getAsInt() : UNKNOWN);
    }

    private static void report(Life life, int exitCode) {
        long lifetime = System.nanoTime() - life.startedNanos;
        boolean asked = life.lastStep != null;
        if (asked || exitCode == 0) {
            LOG.log(Level.DEBUG, () -> "Worker " + life.name + " ended with exit code " + exitCode + " after "
                    + millis(lifetime) + " ms" + (asked ? ", as asked" : ""));
            commit(new WorkerEnded(), life, event -> {
                event.exitCode = exitCode;
                event.asked = asked;
                event.lifetime = lifetime;
            });
        } else {
            LOG.log(Level.WARNING, () -> "Worker " + life.name + " died: it ended on its own with exit code "
                    + exitCode + meaning(exitCode) + ", after " + millis(lifetime) + " ms");
            commit(new WorkerDied(), life, event -> {
                event.exitCode = exitCode;
                event.lifetime = lifetime;
            });
        }
    }

    /** Commits an event about a worker, if a recording wants it, with the worker's fields and its own. */
    private static <E extends LifeEvent> void commit(E event, Life life, Consumer<E> fields) {
        if (event.shouldCommit()) {
            event.launcher = life.launcher;
            event.pid = life.pid;
            fields.accept(event);
            event.commit();
        }
    }

    /** What an exit code of a worker that ended on its own means, for the log. */
    private static String meaning(int exitCode) {
        if (exitCode == WorkerRuntime.TARGET_FAILED) {
            return " (its target threw: the host's next receive throws the exception, and the worker's"
                    + " stderr has its stack trace)";
        } else if (exitCode == WorkerRuntime.BOOTSTRAP_FAILED) {
            return " (it could not connect or load its target)";
        } else if (exitCode > 128 && exitCode < 160) {
            return " (killed by signal " + (exitCode - 128) + (exitCode == 137 ? ", SIGKILL" : "")
                    + (exitCode == 134 ? ", SIGABRT: a JVM crash?" : "") + ")";
        }
        return exitCode == UNKNOWN ? " (unknown)" : "";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * What the reports of one worker need. The steps are written by the thread that stops the
     * worker (one at a time: WorkerResource's lifecycle methods are synchronized) and read by
     * the one that reports its end.
     */
    private static final class Life {

        final String launcher;
        final long pid;
        /** How the log names the worker: its pid, or its description, and its launcher. */
        final String name;
        final long startedNanos;
        /** The latest step of the stop ladder, or {@code null} while nobody has asked it to end. */
        volatile Step lastStep;
        /** When that step was taken. */
        volatile long lastStepNanos;

        Life(WorkerProcess worker, String launcher, long startedNanos) {
            this.launcher = launcher;
            this.pid = worker.pid().orElse(UNKNOWN);
            this.name = (pid == UNKNOWN ? worker.toString() : Long.toString(pid)) + " (" + launcher + ")";
            this.startedNanos = startedNanos;
        }
    }

    /** JFR: the fields of every event about a worker. */
    abstract static class LifeEvent extends Event {
        @Label("Launcher")
        String launcher;
        @Label("Process Id")
        @Description("The worker's process id, or -1 for a worker that is not a process of its own")
        long pid;
    }

    /** JFR: a worker has started. */
    @Name("coproc.WorkerStarted")
    @Label("Worker Started")
    @Category({"coproc", "Worker"})
    @Description("A worker has loaded its target and runs it")
    @StackTrace(false)
    static final class WorkerStarted extends LifeEvent {
        @Label("Time to Ready")
        @Timespan(Timespan.NANOSECONDS)
        long timeToReady;
    }

    /** JFR: a step of the stop ladder. */
    @Name("coproc.WorkerStopStep")
    @Label("Worker Stop Step")
    @Category({"coproc", "Worker"})
    @Description("The host asks a worker to end: a close request, then SIGTERM, then SIGKILL")
    @StackTrace(false)
    static final class WorkerStopStep extends LifeEvent {
        @Label("Step")
        String step;
    }

    /** JFR: a worker has ended as asked, or on its own with exit code 0. */
    @Name("coproc.WorkerEnded")
    @Label("Worker Ended")
    @Category({"coproc", "Worker"})
    @Description("A worker has ended as the host asked, or on its own with exit code 0")
    @StackTrace(false)
    static final class WorkerEnded extends LifeEvent {
        @Label("Exit Code")
        @Description("-1 when not known")
        int exitCode;
        @Label("Asked")
        @Description("Whether the host asked the worker to end")
        boolean asked;
        @Label("Lifetime")
        @Timespan(Timespan.NANOSECONDS)
        long lifetime;
    }

    /** JFR: a worker has ended on its own with a non-zero exit code. */
    @Name("coproc.WorkerDied")
    @Label("Worker Died")
    @Category({"coproc", "Worker"})
    @Description("A worker has ended on its own, nobody having asked it to, with a non-zero exit code")
    @StackTrace(false)
    static final class WorkerDied extends LifeEvent {
        @Label("Exit Code")
        @Description("-1 when not known; 137 = killed")
        int exitCode;
        @Label("Lifetime")
        @Timespan(Timespan.NANOSECONDS)
        long lifetime;
    }
}
