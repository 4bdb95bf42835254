package coproc.api;

/**
 * Thrown when a frame is longer than the pipe's maximum frame length.
 *
 * <p>On the sending side nothing was written and the messenger stays usable: send smaller
 * payloads or raise the limit on both sides. On the receiving side the announced length is
 * refused before any memory is allocated for it, and the pipe is finished, because the
 * frame boundaries are lost.
 */
public class FrameTooLongException extends PipeException {

    private static final long serialVersionUID = 1L;

    private final long length;
    private final int maxFrameLength;

    /**
     * Creates the exception.
     *
     * @param length the frame's length in bytes
     * @param maxFrameLength the limit it exceeds
     * @param detail what was being done, appended to the message
     */
    public FrameTooLongException(long length, int maxFrameLength, String detail) {
        super("Frame length " + length + " exceeds maxFrameLength " + maxFrameLength + ": " + detail);
        this.length = length;
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Returns the offending frame length.
     *
     * @return the length in bytes
     */
    public long length() {
        return length;
    }

    /**
     * Returns the limit the frame exceeded.
     *
     * @return the maximum frame length in bytes
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }
}
