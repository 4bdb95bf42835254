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
import coproc.messenger.internal.PreparedSerializers;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starts one worker: listens on a private socket (or where its launcher says, see
 * {@link ConnectingBackLauncher}), launches the worker with its settings and
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
        long deadline = System.nanoTime() + startTimeout.toNanos();
        WorkerProcess[] launched = new WorkerProcess[1];
        PipeMessenger[] connected = new PipeMessenger[1];
        try (WorkerListener listener = launcher instanceof ConnectingBackLauncher back ? back.listen()
                : SocketListener.open()) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            // The host's serializers are made while the worker JVM boots: code that runs once per
            // start stays interpreted, and two Kryo instances then take milliseconds.
            Daemons.start("coproc-prepare", PreparedSerializers.prepare(messenger.serializer()));
            WorkerProcess worker = launcher.launch(new LaunchSpec(Bootstrap.MAIN_MODULE, Bootstrap.MAIN_CLASS, jvm,
                    Bootstrap.settings(listener.settings(), secret, kind, messenger), target, stdout, stderr,
                    (settings, bytes) -> WorkerRuntime.run(settings, () -> bytes, false, () -> { })));
            launched[0] = worker;
            connected[0] = WorkerAcceptor.accept(listener, worker, kind, messenger.withSecret(secret), () -> died(worker), deadline, startTimeout,
                    () -> failureDetail(worker));
            // Before "go": the worker sends its output as frames once it has heard it.
            MessengerAccess.bridge().pipe(connected[0]).output(worker instanceof OutputFramesWorker framed ? framed.pipeOutput()
                    : new OutputText(stdout, stderr, () -> { }));
            Object ready = connected[0].receiveBlocking(Bootstrap.CHANNEL, WorkerAcceptor.remaining(deadline));
            if (!Bootstrap.READY.equals(ready)) {
                throw new WorkerStartException("The worker answered " + ready + " instead of " + Bootstrap.READY);
            }
            connected[0].sendNoRequest(Bootstrap.GO, Bootstrap.CHANNEL);
            WorkerEvents.started(worker, launcher, deadline - startTimeout.toNanos());
            return new LiveWorkers.Started(worker, connected[0]);
        } catch (WorkerStartException e) {
            throw abandon(launched[0], connected[0], e);
        } catch (WorkerDiedException e) {
            throw abandon(launched[0], connected[0],
                    new WorkerStartException("The worker did not come up: " + e.getMessage(), e));
        } catch (TimeoutException e) {
            throw abandon(launched[0], connected[0], new WorkerStartException("The worker did not load its target"
                    + " within " + startTimeout + failureDetail(launched[0]), e));
        } catch (IOException e) {
            throw abandon(launched[0], connected[0],
                    new WorkerStartException("Could not start the worker: " + e + failureDetail(launched[0]), e));
        } catch (RuntimeException e) {
            throw abandon(launched[0], connected[0],
                    new WorkerStartException("The worker could not start its target: " + e.getMessage(), e));
        }
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
