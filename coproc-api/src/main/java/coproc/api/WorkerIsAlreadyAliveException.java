package coproc.api;

/**
 * Thrown by {@code WorkerResource.start()} when its worker is still alive. Stop it first with
 * {@code join()} or {@code terminate()}, or use another resource.
 */
public class WorkerIsAlreadyAliveException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public WorkerIsAlreadyAliveException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public WorkerIsAlreadyAliveException(String message, Throwable cause) {
        super(message, cause);
    }
}
