package coproc.api;

/**
 * Thrown by a receive that drains a frame of a kind this side does not know, for example from
 * a peer that speaks a newer protocol. The frame is dropped; the pipe stays usable.
 */
public class MessageNotRecognizedException extends PipeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public MessageNotRecognizedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public MessageNotRecognizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
