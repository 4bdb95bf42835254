package coproc.api;

/**
 * Thrown when the stream ends in the middle of a frame: the other side closed or died while
 * writing it. The pipe is finished.
 */
public class TruncatedFrameException extends CorruptFrameException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public TruncatedFrameException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public TruncatedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
