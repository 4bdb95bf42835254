package coproc.messenger.internal;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.TruncatedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Splits a byte stream into frames: a 4-byte big-endian length, then that many bytes.
 *
 * <p>A length above the maximum fails before anything is allocated for it; the buffer grows
 * only as bytes actually arrive, so a hostile length prefix cannot exhaust memory. Reads as
 * much as the channel has in one call and hands out the frames in it one by one.
 *
 * <p>On a non-blocking channel a read that finds nothing waits as its caller says: polls for
 * a while, yielding the CPU, so that a quick reply is read without a wake-up; then waits in a
 * selector, using no CPU, until bytes arrive, the deadline passes, or the caller gives up.
 * Giving up leaves a partly read frame buffered for the next call. Not thread-safe: callers
 * take turns (the pipe's read lock).
 */
final class FrameReader {

    /** {@link #next} result: a frame is at {@link #array()}, {@link #offset()}, {@link #length()}. */
    static final int FRAME = 1;
    /** {@link #next} result: the stream ended cleanly, between frames. */
    static final int END = 0;
    /** {@link #next} result: no complete frame yet, and the caller's wait is over. */
    static final int NONE = -1;

    private static final int INITIAL_CAPACITY = 64 * 1024;
    private static final BooleanSupplier NEVER = () -> false;

    private final ReadableByteChannel channel;
    /** For a non-blocking channel: where to wait once polling found nothing; else null. */
    private Selector readable;
    private int maxFrameLength;
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY);

    /** The current frame: {@code buffer.array()[frameOffset, frameOffset + frameLength)}. */
    private int frameOffset;
    private int frameLength;

    /* How the current call waits, when the channel has nothing. */
    private boolean wait;
    private long pollNanos;
    private long deadline;
    private BooleanSupplier giveUp = NEVER;

    FrameReader(ReadableByteChannel channel, int maxFrameLength) {
        this.channel = channel;
        this.maxFrameLength = maxFrameLength;
        buffer.flip(); // empty, in read mode
    }

    /**
     * Reads the next frame from a blocking channel, blocking until it is complete.
     *
     * @return {@code true} with the frame at {@link #array()}, {@link #offset()},
     *     {@link #length()}; {@code false} at a clean end of stream (between frames)
     * @throws FrameTooLongException if the length prefix exceeds the maximum
     * @throws CorruptFrameException if the length prefix is negative
     * @throws TruncatedFrameException if the stream ends inside a frame
     * @throws IOException if reading fails
     */
    boolean next() throws IOException {
        return next(true, 0, Long.MAX_VALUE, NEVER) == FRAME;
    }

    /**
     * Reads the next frame, waiting as the arguments say when the channel has nothing.
     *
     * @param wait whether to wait at all; if not, returns {@link #NONE} as soon as a read finds
     *     nothing
     * @param pollNanos how long to poll, yielding, before waiting in the selector
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @param giveUp asked before each wait in the selector; {@code true} gives up
     * @return {@link #FRAME}, {@link #END} or {@link #NONE}
     * @throws FrameTooLongException if the length prefix exceeds the maximum
     * @throws CorruptFrameException if the length prefix is negative
     * @throws TruncatedFrameException if the stream ends inside a frame
     * @throws IOException if reading fails, or the channel is closed while waiting
     */
    int next(boolean wait, long pollNanos, long deadline, BooleanSupplier giveUp) throws IOException {
        this.wait = wait;
        this.pollNanos = pollNanos;
        this.deadline = deadline;
        this.giveUp = giveUp;
        int filled = fill(4);
        if (filled <= 0) {
            return filled == 0 ? END : NONE;
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
        if (fill(4 + length) < 0) {
            return NONE;
        }
        frameOffset = buffer.position() + 4;
        frameLength = length;
        buffer.position(frameOffset + length);
        return FRAME;
    }

    /**
     * Returns the next frame if it is already buffered, without reading the channel.
     *
     * @return {@link #FRAME} or {@link #NONE}
     * @throws FrameTooLongException if the length prefix exceeds the maximum
     * @throws CorruptFrameException if the length prefix is negative
     */
    int nextBuffered() throws IOException {
        if (buffer.remaining() < 4) {
            return NONE;
        }
        int length = buffer.getInt(buffer.position());
        if (length >= 0 && length <= maxFrameLength && buffer.remaining() - 4 < length) {
            return NONE;
        }
        return next(false, 0, 0, null); // complete, or a bad prefix that next() reports
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
     * @return 1 when they are there; 0 if the stream ended with no unread byte at all; -1 if
     *     the wait is over first
     * @throws TruncatedFrameException if the stream ended with some but fewer than wanted
     */
    private int fill(int wanted) throws IOException {
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
                    return 0;
                }
                throw truncated(wanted);
            }
            if (n == 0) {
                return -1;
            }
        }
        return 1;
    }

    /**
     * Reads what the channel has; on a non-blocking channel that has nothing, waits as the
     * current call says.
     *
     * @return the bytes read, -1 at the end of the stream, 0 if the wait is over
     */
    private int read() throws IOException {
        int n = channel.read(buffer);
        if (n != 0 || readable == null || !wait) {
            return n;
        }
        long pollEnd = System.nanoTime() + pollNanos;
        while (n == 0 && System.nanoTime() - pollEnd < 0) {
            Thread.yield();
            n = channel.read(buffer);
        }
        while (n == 0) {
            long timeoutMillis = 0; // for ever
            if (deadline != Long.MAX_VALUE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            if (giveUp.getAsBoolean()) {
                return 0;
            }
            readable.select(timeoutMillis);
            readable.selectedKeys().clear();
            if (!channel.isOpen()) {
                throw new AsynchronousCloseException();
            }
            n = channel.read(buffer);
        }
        return n;
    }

    /** From now on, reads may poll then wait in this selector: the channel is non-blocking. */
    void pollThenWaitIn(Selector selector) {
        readable = selector;
    }

    /** Whether reads can wait in a selector, so that any thread may read in turn. */
    boolean selectable() {
        return readable != null;
    }

    /** Releases the selector, waking a read that waits in it; called once the channel is closed. */
    void release() {
        if (readable != null) {
            try {
                readable.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /** Wakes a read that waits in the selector, or makes the next wait return at once. */
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
