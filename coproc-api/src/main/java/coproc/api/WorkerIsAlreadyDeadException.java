package coproc.api;

/**
 * Thrown by {@code WorkerResource.join()} and {@code terminate()} when the worker is not alive
 * (never started, or already ended).
 */
public class WorkerIsAlreadyDeadException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public WorkerIsAlreadyDeadException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public WorkerIsAlreadyDeadException(String message, Throwable cause) {
        super(message, cause);
    }
}
