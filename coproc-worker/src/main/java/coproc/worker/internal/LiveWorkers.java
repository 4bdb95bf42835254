package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import coproc.messenger.PipeMessenger;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers this JVM has started and not yet seen end, and the exit hook that stops them
 * when this JVM exits: a close request to each, then, after half a second, a forced end.
 * Thread-safe; it holds each worker as the immutable {@link Started} value its start made.
 */
public final class LiveWorkers {

    private static final Set<Started> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LiveWorkers::stopAll, "coproc-shutdown"));
    }

    private LiveWorkers() {
    }

    /**
     * Registers a started worker, and forgets those that have ended meanwhile.
     *
     * @param worker the worker
     */
    public static void add(Started worker) {
        LIVE.removeIf(other -> !other.process().isAlive());
        LIVE.add(worker);
    }

    /**
     * Forgets a worker whose end has been seen.
     *
     * @param worker the worker
     */
    public static void remove(Started worker) {
        LIVE.remove(worker);
    }

    private static void stopAll() {
        for (Started worker : LIVE) {
            try {
                WorkerEvents.stopping(worker.process(), WorkerEvents.Step.CLOSE_REQUEST);
                worker.messenger().sendCloseRequest();
            } catch (RuntimeException ignored) {
                // ending anyway
            }
        }
        for (Started worker : LIVE) {
            try {
                if (!worker.process().waitFor(Duration.ofMillis(500))) {
                    WorkerEvents.stopping(worker.process(), WorkerEvents.Step.SIGKILL);
                    worker.process().kill();
                }
            } catch (InterruptedException | RuntimeException ignored) {
                // the JVM is exiting
            }
        }
    }

    /**
     * A worker that started: its process and the host's messenger to it.
     *
     * @param process the worker
     * @param messenger the host's messenger
     */
    public record Started(WorkerProcess process, PipeMessenger messenger) {
    }
}
