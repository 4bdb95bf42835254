package coproc.messenger.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * An input that refuses a string or array length the bytes left in the frame could not
 * hold, before allocating for it: Kryo's own {@code Input} allocates first, so a 6-byte
 * string header could otherwise ask for a 2^31-character array.
 */
final class BoundedInput extends Input {

    @Override
    public String readString() {
        checkUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkUtf8Length();
        return super.readStringBuilder();
    }

    /* Peeks at the length Kryo writes before a non-ASCII string: 6 bits in the first byte
       (0x80 marks UTF-8, 0x40 "more"), then 7 bits per byte (0x80 "more"), as length + 1. */
    private void checkUtf8Length() {
        int at = position();
        if (at >= limit() || (buffer[at] & 0x80) == 0) {
            return; // ASCII: read byte by byte, bounded by the frame
        }
        int b = buffer[at++];
        long charCountPlusOne = b & 0x3F;
        if ((b & 0x40) != 0) {
            for (int shift = 6; shift <= 27 && at < limit(); shift += 7) {
                b = buffer[at++];
                charCountPlusOne |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
        }
        if (charCountPlusOne - 1 > limit() - at) {
            throw new KryoException("Refusing a string of " + (charCountPlusOne - 1) + " characters with only "
                    + (limit() - at) + " bytes left in the frame");
        }
    }

    @Override
    public byte[] readBytes(int length) {
        KryoBounds.checkCount(this, length);
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        KryoBounds.checkCount(this, length);
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        KryoBounds.checkCount(this, length);
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        KryoBounds.checkCount(this, length);
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        KryoBounds.checkCount(this, length);
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        KryoBounds.checkCount(this, length);
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        KryoBounds.checkCount(this, length);
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        KryoBounds.checkCount(this, length);
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        KryoBounds.checkCount(this, length);
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        KryoBounds.checkCount(this, length);
        return super.readBooleans(length);
    }
}
