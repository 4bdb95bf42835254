package coproc.api;

/**
 * Thrown by {@code WorkerResource.messenger()} before the first {@code start()}.
 */
public class WorkerIsDeadException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public WorkerIsDeadException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public WorkerIsDeadException(String message, Throwable cause) {
        super(message, cause);
    }
}
