package coproc.api;

/**
 * Thrown by a receive that drains a close request sent with {@link Messenger#sendCloseRequest()}.
 *
 * <p>A worker target catches it to shut down cleanly, or lets it escape: either way the worker
 * ends with exit code 0.
 */
public class ResourceRequestedCloseException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ResourceRequestedCloseException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ResourceRequestedCloseException(String message, Throwable cause) {
        super(message, cause);
    }
}
