package coproc.messenger.internal;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.TruncatedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;

/**
 * Splits a byte stream into frames: a 4-byte big-endian length, then that many bytes.
 *
 * <p>A length above the maximum fails before anything is allocated for it; the buffer grows
 * only as bytes actually arrive, so a hostile length prefix cannot exhaust memory. Reads as
 * much as the channel has in one call and hands out the frames in it one by one. Not
 * thread-safe: one reading thread.
 */
final class FrameReader {

    private static final int INITIAL_CAPACITY = 64 * 1024;

    /** How long a read polls a non-blocking channel, yielding, before it waits in the selector. */
    static final long POLL_NANOS = 50_000;

    private final ReadableByteChannel channel;
    /** For a non-blocking channel: where to wait once polling found nothing; else null. */
    private Selector readable;
    private int maxFrameLength;
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY);

    /** The current frame: {@code buffer.array()[frameOffset, frameOffset + frameLength)}. */
    private int frameOffset;
    private int frameLength;

    FrameReader(ReadableByteChannel channel, int maxFrameLength) {
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
        buffer.flip(); // empty, in read mode
    }

    /**
     * Reads the next frame, blocking until it is complete.
     *
     * @return {@code true} with the frame at {@link #array()}, {@link #offset()},
     *     {@link #length()}; {@code false} at a clean end of stream (between frames)
     * @throws FrameTooLongException if the length prefix exceeds the maximum
     * @throws CorruptFrameException if the length prefix is negative
     * @throws TruncatedFrameException if the stream ends inside a frame
     * @throws IOException if reading fails
     */
    boolean next() throws IOException {
        if (!fill(4)) {
            return false;
        }
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
        if (!fill(4 + length)) {
            throw truncated(4 + length);
        }
        frameOffset = buffer.position() + 4;
        frameLength = length;
        buffer.position(frameOffset + length);
        return true;
    }

    void setMaxFrameLength(int maxFrameLength) {
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

    /**
     * Makes at least {@code wanted} unread bytes available, reading as needed. The buffer grows
     * only when it is full of unread bytes, and then at most doubles, so memory follows the
     * bytes that actually arrive.
     *
     * @return {@code false} if the stream ended with no unread byte at all
     * @throws TruncatedFrameException if it ended with some but fewer than wanted
     */
    private boolean fill(int wanted) throws IOException {
        while (buffer.remaining() < wanted) {
            if (buffer.remaining() == buffer.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(wanted, 2L * buffer.capacity()));
                bigger.put(buffer).flip();
                buffer = bigger;
            }
            buffer.compact(); // write mode
            int n;
            try {
                n = read();
            } finally {
                buffer.flip();
            }
            if (n < 0) {
                if (buffer.remaining() == 0) {
                    return false;
                }
                throw truncated(wanted);
            }
        }
        return true;
    }

    /**
     * Reads what the channel has. On a non-blocking channel, polls for a short while, yielding
     * the CPU between polls, so that a quick reply is read without a wake-up; then blocks in
     * the selector, using no CPU, until bytes arrive or {@link #wakeUp()} is called.
     */
    private int read() throws IOException {
        int n = channel.read(buffer);
        if (n != 0 || readable == null) {
            return n;
        }
        long pollEnd = System.nanoTime() + POLL_NANOS;
        while (n == 0 && System.nanoTime() - pollEnd < 0) {
            Thread.yield();
            n = channel.read(buffer);
        }
        while (n == 0) {
            readable.select();
            readable.selectedKeys().clear();
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException();
            }
            n = channel.read(buffer);
        }
        return n;
    }

    /** From now on, reads poll then wait in this selector: the channel is non-blocking. */
    void pollThenWaitIn(Selector selector) {
        readable = selector;
    }

    /** Releases the selector; called by the reading thread once it has stopped reading. */
    void release() {
        if (readable != null) {
            try {
                readable.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Wakes a read that waits in the selector, so that it sees the channel closed. */
    void wakeUp() {
        if (readable != null) {
            readable.wakeup();
        }
    }

    private TruncatedFrameException truncated(int wanted) {
        int have = buffer.remaining();
        if (have < 4) {
            return new TruncatedFrameException("Truncated frame: the stream ended after " + have
                    + " of the 4 bytes of a length prefix; the other side closed or died while writing");
        }
        return new TruncatedFrameException("Truncated frame: the stream ended after " + (have - 4) + " of "
                + (wanted - 4) + " bytes; the other side closed or died while writing");
    }
}
