package coproc.api;

/**
 * Thrown when the pipe is closed: by this side's {@link Messenger#close()}, or by the other
 * side going away. Thrown by receives only after every message that arrived before the end
 * of the stream has been returned.
 */
public class PipeClosedException extends PipeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public PipeClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public PipeClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
