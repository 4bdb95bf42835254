package coproc.api;

/**
 * Thrown when the two sides' handshakes disagree: a different protocol version or serializer,
 * or a peer that is not a coproc messenger at all. The message names both sides' values.
 */
public class ProtocolMismatchException extends PipeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public ProtocolMismatchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public ProtocolMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
