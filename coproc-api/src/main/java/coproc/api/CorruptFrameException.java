package coproc.api;

/**
 * Thrown by a receive when a frame's bytes cannot be decoded: a length prefix that is not a
 * valid length, an unknown structure, or a payload the serializer rejects. A payload that
 * could not be decoded inside a well-formed frame loses only that frame and the pipe stays
 * usable; a bad length prefix ends the pipe, because the frame boundaries are lost.
 */
public class CorruptFrameException extends PipeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public CorruptFrameException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public CorruptFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
