package coproc.worker.internal;

import coproc.api.WorkerDiedException;
import coproc.api.WorkerStartException;
import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.Daemons;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.PreparedSerializers;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts one worker: listens on a private socket, launches the worker with its settings and
 * target, accepts its authenticated connection, waits for it to load its target ("ready") and
 * lets it run ("go"). What fails on the way ends the worker and says why: its exit code and
 * the last lines of its standard error.
 *
 * @param launcher starts the worker
 * @param kind the messenger kind of both ends
 * @param messenger the messenger options of both ends (serializer, frame limit)
 * @param jvm how to start a worker JVM
 * @param startTimeout how long the start may take
 * @param stopTimeout how long a failed start waits for the worker it ends
 * @param stdout takes the lines a worker process writes to standard output
 * @param stderr takes the lines a worker process writes to standard error
 */
public record WorkerStart(Launcher launcher, MessengerKind kind, MessengerOptions messenger, LaunchSpec.Jvm jvm,
        Duration startTimeout, Duration stopTimeout, Consumer<String> stdout, Consumer<String> stderr) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Starts a worker.
     *
     * @param target the encoded target and start argument
     * @return the started worker
     * @throws WorkerStartException if the worker does not come up; nothing is left running
     */
    public LiveWorkers.Started start(byte[] target) {
        long startNanos = System.nanoTime();
        long deadline = startNanos + startTimeout.toNanos();
        LiveWorkers.Started connected = connect(launcher, target, deadline);
        return go(connected, deadline, startNanos);
    }

    /**
     * Launches a worker and accepts its authenticated connection, without waiting for it to
     * load its target: the first half of {@link #start}, which a spare JVM does ahead of time.
     *
     * @param by the launcher to launch it with
     * @param target the encoded target and start argument, as the launcher hands it over
     * @param deadline the {@link System#nanoTime()} to give up at
     * @return the worker and the host's messenger to it
     * @throws WorkerStartException if the worker does not connect; nothing is left running
     */
    LiveWorkers.Started connect(Launcher by, byte[] target, long deadline) {
        WorkerProcess[] launched = new WorkerProcess[1];
        try (WorkerListener listener = by instanceof ConnectingBackLauncher back ? back.listen() : SocketListener.open()) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            boolean inJvm = by instanceof ThreadLauncherProvider.InJvm;
            if (!inJvm) {
                // The host's serializers are made while the worker JVM boots: code that runs once per
                // start stays interpreted, and two Kryo instances then take milliseconds.
                Daemons.start("coproc-prepare", PreparedSerializers.prepare(messenger.serializer()));
            }
            WorkerProcess worker = by.launch(new LaunchSpec(Bootstrap.MAIN_MODULE, Bootstrap.MAIN_CLASS, jvm,
                    Bootstrap.settings(listener.settings(), secret, kind, messenger), target, stdout, stderr,
                    (settings, bytes) -> WorkerRuntime.run(settings, () -> bytes, false, () -> { })));
            launched[0] = worker;
            MessengerOptions options = messenger.withSecret(secret);
            PipeMessenger accepted = inJvm && listener instanceof SocketListener local
                    ? local.acceptInJvm(worker, kind, options, () -> died(worker), deadline, startTimeout)
                    : WorkerAcceptor.accept(listener, worker, kind, options, () -> died(worker), deadline, startTimeout,
                            () -> failureDetail(worker));
            // Before "go": the worker sends its output as frames once it has heard it.
            Pipe pipe = MessengerAccess.bridge().pipe(accepted);
            pipe.output(worker instanceof OutputFramesWorker framed ? framed.pipeOutput()
                    : new OutputText(stdout, stderr, () -> { }));
            if (worker instanceof SshWorker) {
                pipe.receiveWithoutPolling(); // on another machine
            }
            return new LiveWorkers.Started(worker, accepted);
        } catch (IOException | RuntimeException e) {
            throw failed(e, launched[0], null);
        }
    }

    /**
     * Waits for a connected worker to load its target ("ready") and lets it run ("go"): the
     * second half of {@link #start}.
     *
     * @param connected the worker and the host's messenger to it
     * @param deadline the {@link System#nanoTime()} to give up at
     * @param startNanos when the start began, for the start event
     * @return the started worker
     * @throws WorkerStartException if the worker does not load its target; it is ended
     */
    LiveWorkers.Started go(LiveWorkers.Started connected, long deadline, long startNanos) {
        try {
            Object ready = connected.messenger().receiveBlocking(Bootstrap.CHANNEL, WorkerAcceptor.remaining(deadline));
            if (!Bootstrap.READY.equals(ready)) {
                throw new WorkerStartException("The worker answered " + ready + " instead of " + Bootstrap.READY);
            }
            connected.messenger().sendNoRequest(Bootstrap.GO, Bootstrap.CHANNEL);
            WorkerEvents.started(connected.process(), launcher, startNanos);
            return connected;
        } catch (TimeoutException | RuntimeException e) {
            throw failed(e, connected.process(), connected.messenger());
        }
    }

    /** Says why a start failed, as a {@link WorkerStartException}, having ended its worker. */
    private WorkerStartException failed(Exception e, WorkerProcess worker, PipeMessenger messenger) {
        WorkerStartException failure;
        if (e instanceof WorkerStartException start) {
            failure = start;
        } else if (e instanceof WorkerDiedException) {
            failure = new WorkerStartException("The worker did not come up: " + e.getMessage(), e);
        } else if (e instanceof TimeoutException) {
            failure = new WorkerStartException("The worker did not load its target within " + startTimeout
                    + failureDetail(worker), e);
        } else if (e instanceof IOException) {
            failure = new WorkerStartException("Could not start the worker: " + e + failureDetail(worker), e);
        } else {
            failure = new WorkerStartException("The worker could not start its target: " + e.getMessage(), e);
        }
        return abandon(worker, messenger, failure);
    }

    /** What the host's receives throw once the worker has gone: waits briefly for its exit code. */
    private static WorkerDiedException died(WorkerProcess worker) {
        try {
            worker.waitFor(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new WorkerDiedException(worker.exitCode().isPresent() ? worker.exitCode().getAsInt() : null,
                worker.stderrTail());
    }

    /** The worker's exit code and the last lines of its stderr, for an error message. */
    private static String failureDetail(WorkerProcess worker) {
        if (worker == null) {
            return "";
        }
        StringBuilder detail = new StringBuilder();
        worker.exitCode().ifPresent(code -> detail.append(" (exit code ").append(code).append(')'));
        String tail = worker.stderrTail();
        if (!tail.isBlank()) {
            detail.append(". Last lines of its stderr:\n").append(tail);
        }
        return detail.toString();
    }

    /** Ends a worker that failed to start, leaving nothing running; returns the failure. */
    private WorkerStartException abandon(WorkerProcess worker, PipeMessenger messenger, WorkerStartException failure) {
        if (messenger != null) {
            messenger.close();
        }
        if (worker != null && worker.isAlive()) {
            worker.kill();
            try {
                worker.waitFor(stopTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }
}
