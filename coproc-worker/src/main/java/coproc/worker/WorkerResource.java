package coproc.worker;

import coproc.api.Messenger;
import coproc.api.PipeException;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerIsAlreadyAliveException;
import coproc.api.WorkerIsAlreadyDeadException;
import coproc.api.WorkerIsDeadException;
import coproc.api.WorkerStartException;
import coproc.api.WorkerTarget;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.MessengerAccess;
import coproc.worker.internal.Bootstrap;
import coproc.worker.internal.Launchers;
import coproc.worker.internal.LiveWorkers;
import coproc.worker.internal.Spares;
import coproc.worker.internal.TargetNames;
import coproc.worker.internal.WorkerEvents;
import coproc.worker.internal.WorkerStart;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One worker and the host's messenger to it.
 *
 * <p>Constructing starts nothing. {@link #start(Object)} launches a worker (by default a new
 * JVM) that runs the {@link WorkerTarget} with its own messenger and the start argument, and
 * returns once the worker has connected back and loaded its target. The host then talks to it
 * through {@link #messenger()}. A resource can be started again once its worker has ended;
 * each start makes a fresh worker and a fresh pipe.
 *
 * <pre>{@code
 * try (var worker = new WorkerResource<Void>(Echo::run).start()) {
 *     worker.messenger().sendRequest("hello");
 *     System.out.println(worker.messenger().<String>receiveBlocking());
 * }
 * }</pre>
 *
 * <h2>Stopping</h2>
 * {@link #join()} asks the worker to close and waits for it to end. {@link #terminate()} and
 * {@link #close()} stop it by a ladder: a close request, then, after
 * {@link WorkerOptions#closeTimeout()}, a polite end ({@code SIGTERM}), then, after
 * {@link WorkerOptions#stopTimeout()}, a forced one. Workers still alive when the host JVM
 * exits are stopped the same way, faster; a worker whose host dies, even by {@code kill -9},
 * ends by itself.
 *
 * <h2>Failures</h2>
 * A worker that dies makes the host's receives throw {@link WorkerDiedException}, with the
 * exit code and the last lines of its standard error, once every message it sent before it
 * died has been received. An exception the target throws is sent to the host and thrown by
 * its next receive.
 *
 * <h2>Thread safety</h2>
 * The lifecycle methods are synchronized: calls from several threads take turns. The
 * messenger has its own contract (see {@link Messenger}).
 *
 * @param <A> the type of the start argument
 */
public final class WorkerResource<A> implements AutoCloseable {

    private final WorkerTarget<A> target;
    private final WorkerOptions options;
    /** A launcher to use instead of the one named in the options; for tests. */
    private final Launcher launcherOverride;
    /** The worker of the latest start and the messenger to it; guarded by this. */
    private LiveWorkers.Started current;
    /** Whether join, terminate or close has seen the current worker end; guarded by this. */
    private boolean reaped;
    /** The target's name, found when first asked for; guarded by this. */
    private String targetName;

    /**
     * Creates a resource for a target, with the default options.
     *
     * @param target what the worker runs
     */
    public WorkerResource(WorkerTarget<A> target) {
        this(target, WorkerOptions.defaults());
    }

    /**
     * Creates a resource for a target.
     *
     * @param target what the worker runs
     * @param options how to start and stop it
     */
    public WorkerResource(WorkerTarget<A> target, WorkerOptions options) {
        this(target, options, null);
    }

    WorkerResource(WorkerTarget<A> target, WorkerOptions options, Launcher launcherOverride) {
        this.target = Objects.requireNonNull(target, "target");
        this.options = Objects.requireNonNull(options, "options");
        this.launcherOverride = launcherOverride;
    }

    /**
     * Starts a worker with no start argument ({@code null}).
     *
     * @return this resource
     * @see #start(Object)
     */
    public WorkerResource<A> start() {
        return start(null);
    }

    /**
     * Starts a worker: launches it, waits for it to connect back and load its target, and
     * returns. Blocks for at most {@link WorkerOptions#startTimeout()}.
     *
     * @param argument passed to the target's {@code run}; must be serializable
     * @return this resource
     * @throws WorkerIsAlreadyAliveException if the previous worker is still alive
     * @throws IllegalArgumentException if the target or argument cannot be serialized, or no
     *     launcher or serializer has the configured name (the message lists the names there are)
     * @throws IllegalStateException if the host's classes come from where a worker JVM cannot
     *     read them (a jar inside a jar) and no class path was set; nothing was launched
     * @throws WorkerStartException if the worker does not come up: the message gives its exit
     *     code and the last lines of its standard error; nothing is left running
     */
    public synchronized WorkerResource<A> start(A argument) {
        if (isAlive()) {
            throw new WorkerIsAlreadyAliveException("The worker is still alive (" + current.process() + "); join() or"
                    + " terminate() it before starting it again");
        }
        byte[] payload = Bootstrap.encode(target, argument);
        Launcher launcher = launcherOverride != null ? launcherOverride : Launchers.named(options.launcher(), options.launcherOptions());
        if (current != null) {
            current.messenger().close();
        }
        current = null;
        reaped = false;
        WorkerStart start = new WorkerStart(launcher, options.messengerKind(), options.messengerOptions(),
                options.jvm(target.getClass()), options.startTimeout(), options.stopTimeout(), options.stdout().sink(),
                options.stderr().sink());
        int spares = options.values().spares;
        current = spares > 0 && launcherOverride == null && "jvm".equals(options.launcher())
                ? Spares.start(start, payload, target, spares, options.values().spareIdleTime) : start.start(payload);
        LiveWorkers.add(current);
        return this;
    }

    /**
     * Returns whether the worker is running.
     *
     * @return {@code true} from a successful start until the worker ends
     */
    public synchronized boolean isAlive() {
        return current != null && current.process().isAlive();
    }

    /**
     * Returns the worker's process id.
     *
     * @return the pid, or empty if the launcher runs workers inside this JVM
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized OptionalLong pid() {
        return started().process().pid();
    }

    /**
     * Returns the exit code of the worker of the latest start, once it has ended.
     *
     * @return the exit code (0 when its target ended normally, 137 when it was killed), or
     *     empty while it runs or when its launcher cannot tell
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized OptionalInt exitCode() {
        return started().process().exitCode();
    }

    /**
     * Returns a future that completes with the exit code of the worker of the latest start when
     * it ends, however it ends (-1 if its launcher cannot tell). A later start has a future of its
     * own. Completing it does not reap the worker: {@code join}, {@code terminate} or
     * {@code close} still may be called. Non-blocking; dependent actions run on a thread of
     * coproc's, unless the caller chooses an executor.
     *
     * @return the future
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized CompletableFuture<Integer> onExit() {
        return started().process().onExit();
    }

    /**
     * Returns the host's messenger to the worker. After the worker ended it stays usable for
     * receiving what the worker sent before it ended.
     *
     * @return the messenger of the latest start
     * @throws WorkerIsDeadException if the resource was never started
     */
    public synchronized Messenger messenger() {
        return started().messenger();
    }

    private LiveWorkers.Started started() {
        if (current == null) {
            throw new WorkerIsDeadException("The worker was never started; call start() first");
        }
        return current;
    }

    /**
     * Asks the worker to close and waits for it to end: first drains what has arrived (so an
     * error the worker sent is thrown here), then sends a close request, then waits. A worker
     * that has ended on its own since it was started is simply reaped, so
     * {@code messenger().sendCloseRequest(); join();} never races with the worker's end.
     *
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     * @throws RuntimeException an error the worker sent before, as any receive throws it
     */
    public void join() {
        join(null);
    }

    /**
     * As {@link #join()}, waiting at most the timeout; the worker is left running if it does
     * not end in time.
     *
     * @param timeout how long to wait for the worker to end, or {@code null} to wait for ever
     * @return {@code true} if the worker ended, {@code false} if the timeout elapsed first
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     * @throws RuntimeException an error the worker sent before, as any receive throws it
     */
    public boolean join(Duration timeout) {
        LiveWorkers.Started worker;
        synchronized (this) {
            checkNotReaped();
            worker = current;
            try {
                // a thread receiving now will meet the error itself
                MessengerAccess.bridge().drainIfIdle(worker.messenger());
                if (worker.process().isAlive()) {
                    WorkerEvents.stopping(worker.process(), WorkerEvents.Step.CLOSE_REQUEST);
                    worker.messenger().sendCloseRequest();
                }
            } catch (PipeException ignored) {
                // it is ending already
            }
        }
        // Wait outside the lock, so that terminate() from another thread can still act.
        boolean ended = waitFor(worker.process(), timeout == null ? Duration.ofNanos(Long.MAX_VALUE) : timeout);
        if (ended) {
            synchronized (this) {
                if (current == worker) {
                    reap();
                }
            }
        }
        return ended;
    }

    /**
     * Stops the worker by the stop ladder (close request, polite end, forced end) and waits
     * for it to end. A worker that has ended on its own since it was started is simply reaped.
     *
     * @throws WorkerIsAlreadyDeadException if no worker was started, or its end was already
     *     seen by {@code join}, {@code terminate} or {@code close}
     */
    public synchronized void terminate() {
        checkNotReaped();
        stop();
    }

    private void checkNotReaped() {
        if (current == null || reaped) {
            throw new WorkerIsAlreadyDeadException("The worker is not alive"
                    + (current == null ? "; start() it first" : ": it has been joined or terminated already"));
        }
    }

    private void reap() {
        reaped = true;
        LiveWorkers.remove(current);
        WorkerEvents.reaped(current.process());
    }

    /**
     * Stops the worker if it is alive, by the stop ladder, and closes the messenger.
     * Idempotent; for try-with-resources. Throws nothing the worker sent.
     */
    @Override
    public synchronized void close() {
        if (current != null && !reaped) {
            stop();
        }
        if (current != null) {
            current.messenger().close();
        }
    }

    /** The stop ladder: close request, then a polite end, then a forced one. */
    private void stop() {
        WorkerProcess process = current.process();
        if (process.isAlive()) {
            WorkerEvents.stopping(process, WorkerEvents.Step.CLOSE_REQUEST);
            try {
                current.messenger().sendCloseRequest();
            } catch (PipeException ignored) {
                // a broken pipe: the worker is ending already
            }
            if (!waitFor(process, options.closeTimeout())) {
                WorkerEvents.stopping(process, WorkerEvents.Step.SIGTERM);
                process.stop();
                if (!waitFor(process, options.stopTimeout())) {
                    WorkerEvents.stopping(process, WorkerEvents.Step.SIGKILL);
                    process.kill();
                    waitFor(process, options.stopTimeout());
                }
            }
        }
        reap();
    }

    private static boolean waitFor(WorkerProcess worker, Duration timeout) {
        try {
            return worker.waitFor(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !worker.isAlive();
        }
    }

    @Override
    public synchronized String toString() {
        if (targetName == null) {
            targetName = TargetNames.describe(target);
        }
        WorkerProcess process = current == null ? null : current.process();
        return "WorkerResource[target=" + targetName + ", "
                + options.messengerKind() + ", launcher=" + options.launcher() + ", " + (process == null ? "not started"
                : process + (process.isAlive() ? ", alive" : ", ended")) + "]";
    }
}
