package coproc.messenger.internal;

import java.io.InputStream;

/**
 * A reusable input stream over a region of a byte array: one value's bytes inside a frame.
 * Not thread-safe.
 */
public final class Slice extends InputStream {

    /** Creates a slice over nothing, until it is pointed at bytes. */
    public Slice() {
    }

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;
    private int start;

    /** Points this stream at {@code bytes[offset, offset + length)}. */
    Slice reset(byte[] array, int offset, int length) {
        bytes = array;
        start = offset;
        position = offset;
        limit = offset + length;
        return this;
    }

    /**
     * Returns the backing array; the unread bytes are {@code [position(), limit())}.
     *
     * @return the array
     */
    public byte[] array() {
        return bytes;
    }

    /**
     * Returns the index of the next unread byte in {@link #array()}.
     *
     * @return the position
     */
    public int position() {
        return position;
    }

    /**
     * Returns the index after the last byte of the region in {@link #array()}.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    /**
     * Marks bytes as read by a consumer that reads {@link #array()} directly.
     *
     * @param newPosition the new position, between the region's start and its limit
     */
    public void skipTo(int newPosition) {
        if (newPosition < start || newPosition > limit) {
            throw new IllegalArgumentException("position " + newPosition + " outside [" + start + ", " + limit + "]");
        }
        position = newPosition;
    }

    @Override
    public int read() {
        return position < limit ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        int n = Math.min(length, limit - position);
        if (n <= 0) {
            return -1;
        }
        System.arraycopy(bytes, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.max(0, Math.min(n, limit - position));
        position += skipped;
        return skipped;
    }
}
