package coproc.api;

/**
 * The unchecked base of every exception coproc throws of its own.
 *
 * <p>Exceptions sent by the other side with {@link Messenger#sendError} are thrown as
 * themselves and need not extend this class.
 */
public class CoprocException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public CoprocException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public CoprocException(String message, Throwable cause) {
        super(message, cause);
    }
}
