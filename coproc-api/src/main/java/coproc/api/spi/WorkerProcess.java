package coproc.api.spi;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A handle on a worker that a {@link Launcher} started. Implementations must be thread-safe.
 */
public interface WorkerProcess {

    /**
     * Returns the operating-system process id of the worker.
     *
     * @return the pid, or empty if the worker is not a process of its own
     */
    OptionalLong pid();

    /**
     * Returns whether the worker is still running.
     *
     * @return {@code true} until the worker has ended
     */
    boolean isAlive();

    /**
     * Waits for the worker to end.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if it ended, {@code false} if the timeout elapsed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean waitFor(Duration timeout) throws InterruptedException;

    /**
     * Returns the worker's exit code.
     *
     * @return the exit code, or empty while it runs or when it is not known
     */
    OptionalInt exitCode();

    /**
     * Returns a future that completes with the worker's exit code when it ends. The default
     * waits on a daemon thread of its own with {@link #waitFor}; launchers override it with
     * what their worker offers.
     *
     * @return the future; completes with -1 if the exit code is not known
     */
    default CompletableFuture<Integer> onExit() {
        CompletableFuture<Integer> ended = new CompletableFuture<>();
        Thread waiting = new Thread(() -> {
            try {
                while (!waitFor(Duration.ofDays(1))) {
                    // keep waiting
                }
                ended.complete(exitCode().orElse(-1));
            } catch (InterruptedException e) {
                ended.completeExceptionally(e);
            }
        }, "coproc-worker-exit");
        waiting.setDaemon(true);
        waiting.start();
        return ended;
    }

    /**
     * Asks the worker to end, politely (for a process, {@code SIGTERM}). Returns at once.
     */
    void stop();

    /**
     * Ends the worker by force (for a process, {@code SIGKILL}). Returns at once.
     */
    void kill();

    /**
     * Returns the last lines the worker wrote to standard error, for error messages.
     *
     * @return the lines, possibly empty
     */
    String stderrTail();
}
