package coproc.messenger.internal;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.TruncatedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Splits a byte stream into frames: a 4-byte big-endian length, then that many bytes. The
 * inbound half of the framing pair; {@link FrameWriter} is the outbound half.
 *
 * <p>Bytes come in with {@link #readFrom}, one read of a channel that never waits longer than
 * the channel does; frames come out of {@link #next}, which answers "a frame" or "need more"
 * and never reads, so the caller decides how to wait. A length above the maximum fails before
 * anything is allocated for it, and the buffer grows only as bytes actually arrive (at most
 * doubling), so a hostile length prefix cannot exhaust memory. After a
 * {@link FrameTooLongException} or {@link CorruptFrameException} the stream is unusable: its
 * frame boundaries are lost. Not thread-safe: callers take turns (the pipe's read lock).
 */
final class FrameReader {

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private int maxFrameLength;
    /** Unread bytes, in read mode: {@code [position, limit)}. */
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY).flip();
    /** The current frame: {@code buffer.array()[frameOffset, frameOffset + frameLength)}. */
    private int frameOffset;
    private int frameLength;

    FrameReader(int maxFrameLength) {
        setMaxFrameLength(maxFrameLength);
    }

    /**
     * Decodes the next frame from the bytes read so far.
     *
     * @return {@code true} with the frame at {@link #array()}, {@link #offset()},
     *     {@link #length()} (valid until the next call); {@code false} if more bytes are needed
     * @throws FrameTooLongException if the length prefix exceeds the maximum
     * @throws CorruptFrameException if the length prefix is negative
     */
    boolean next() {
        if (buffer.remaining() < 4) {
            return false;
        }
        int length = announcedLength();
        if (buffer.remaining() - 4 < length) {
            return false;
        }
        frameOffset = buffer.position() + 4;
        frameLength = length;
        buffer.position(frameOffset + length);
        return true;
    }

    /** The length prefix at the position, checked. */
    private int announcedLength() {
        int length = buffer.getInt(buffer.position());
        if (length < 0) {
            throw new CorruptFrameException("Corrupt frame: negative length prefix " + length
                    + " (0x" + Integer.toHexString(length) + "); the pipe carries bytes that are not coproc frames");
        }
        if (length > maxFrameLength) {
            throw new FrameTooLongException(length, maxFrameLength,
                    "refused the incoming frame before reading it; the pipe is finished. Raise maxFrameLength on"
                            + " both sides if such frames are intended");
        }
        return length;
    }

    /**
     * Reads once from a channel what it has (on a blocking channel, waiting as the channel
     * does), making room for the frame under way.
     *
     * @param channel the channel
     * @return the bytes read, 0 if the channel had none, -1 at the end of the stream
     * @throws IOException if reading fails
     * @throws FrameTooLongException if a buffered length prefix exceeds the maximum
     * @throws CorruptFrameException if a buffered length prefix is negative
     */
    int readFrom(ReadableByteChannel channel) throws IOException {
        int wanted = buffer.remaining() < 4 ? 4 : 4 + announcedLength();
        // ">=" would be no different: for a frame that fits exactly it "grows" to the same capacity, same bytes.
        if (buffer.remaining() == buffer.capacity() && wanted > buffer.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(wanted, 2L * buffer.capacity()));
            buffer = bigger.put(buffer).flip();
        }
        buffer.compact(); // write mode
        try {
            return channel.read(buffer);
        } finally {
            buffer.flip();
        }
    }

    /**
     * Returns the exception for a stream that ended here, or {@code null} if it ended cleanly,
     * between frames.
     *
     * @return a {@link TruncatedFrameException} if part of a frame had arrived, else null
     */
    TruncatedFrameException endOfStream() {
        int have = buffer.remaining();
        if (have == 0) {
            return null;
        }
        if (have < 4) {
            return new TruncatedFrameException("Truncated frame: the stream ended after " + have
                    + " of the 4 bytes of a length prefix; the other side closed or died while writing");
        }
        return new TruncatedFrameException("Truncated frame: the stream ended after " + (have - 4) + " of "
                + buffer.getInt(buffer.position()) + " bytes; the other side closed or died while writing");
    }

    /** Sets the largest frame accepted from now on. */
    void setMaxFrameLength(int maxFrameLength) {
        if (maxFrameLength < 0) {
            throw new IllegalArgumentException("maxFrameLength must not be negative: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    byte[] array() {
        return buffer.array();
    }

    int offset() {
        return frameOffset;
    }

    int length() {
        return frameLength;
    }
}
