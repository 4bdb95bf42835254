package coproc.messenger.internal;

import coproc.api.FrameTooLongException;

/**
 * Frames what is encoded into a {@link FrameBuffer}: writes a frame's length prefix and kind,
 * and fills in the length once the body is there, refusing a frame longer than the maximum.
 * The outbound half of the framing pair; {@link FrameReader} is the inbound half. Immutable;
 * the buffer is the caller's (the pipe's send lock guards it).
 */
final class FrameWriter {

    private final int maxFrameLength;

    FrameWriter(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Starts a frame at the end of the buffer.
     *
     * @param out the buffer
     * @param kind the frame's kind, its first body byte
     * @return where the frame starts, for {@link #end}
     */
    int begin(FrameBuffer out, FrameKind kind) {
        int start = out.size();
        out.writeInt(0);
        out.write(kind.code());
        return start;
    }

    /**
     * Ends the frame that starts at {@code start}: fills in its length.
     *
     * @param out the buffer
     * @param start what {@link #begin} returned
     * @throws FrameTooLongException if the frame is longer than the maximum; the caller
     *     truncates the buffer to {@code start}
     */
    void end(FrameBuffer out, int start) {
        int length = out.size() - start - 4;
        if (length > maxFrameLength) {
            throw new FrameTooLongException(length, maxFrameLength,
                    "nothing was sent; the messenger stays usable. Send smaller payloads or raise maxFrameLength");
        }
        out.putInt(start, length);
    }
}
