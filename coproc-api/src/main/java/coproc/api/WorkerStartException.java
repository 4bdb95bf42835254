package coproc.api;

/**
 * Thrown by {@code WorkerResource.start()} when the worker does not come up: it exited, did
 * not connect back within the start timeout, or could not be launched. The message carries
 * the exit code and the last lines the worker wrote to standard error.
 */
public class WorkerStartException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public WorkerStartException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
