package coproc.api;

/**
 * A failure of the pipe itself: closed, broken, or carrying bytes that are not a valid frame.
 * Each subclass names one kind of failure; the message says what happened.
 */
public class PipeException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public PipeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public PipeException(String message, Throwable cause) {
        super(message, cause);
    }
}
