package coproc.messenger.internal;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable in-memory byte sink that frames are encoded into, reused from message to
 * message. Not thread-safe.
 */
public final class FrameBuffer extends OutputStream {

    private byte[] bytes;
    private int size;

    /**
     * Creates a buffer.
     *
     * @param initialCapacity the initial capacity in bytes
     */
    public FrameBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** Appends a big-endian int. */
    void writeInt(int value) {
        ensure(4);
        putInt(size, value);
        size += 4;
    }

    /** Overwrites the big-endian int at {@code position}. */
    void putInt(int position, int value) {
        bytes[position] = (byte) (value >>> 24);
        bytes[position + 1] = (byte) (value >>> 16);
        bytes[position + 2] = (byte) (value >>> 8);
        bytes[position + 3] = (byte) value;
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed < 0) {
            throw new OutOfMemoryError("frame larger than 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    /** Returns the number of bytes written. */
    int size() {
        return size;
    }

    /** Forgets every byte written, and gives back the memory of a burst beyond 1 MiB. */
    void clear() {
        size = 0;
        if (bytes.length > 1 << 20) {
            bytes = new byte[1024];
        }
    }

    /** Forgets the bytes written after {@code newSize}. */
    void truncate(int newSize) {
        size = newSize;
    }

    /** Returns a buffer over the bytes written, for writing to a channel. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    /** Returns the backing array; valid up to {@link #size()}. */
    byte[] array() {
        return bytes;
    }

    @Override
    public void close() {
        // Nothing to release; serializers may close their streams.
    }
}
