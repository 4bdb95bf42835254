package coproc.messenger.internal;

import coproc.api.Message;
import coproc.api.SerializationException;
import coproc.api.spi.Serializer;
import java.io.IOException;

/**
 * Encodes a data message into a data frame's body and decodes it back (the layout is in
 * {@link Wire}): flags, priority, channel and payload, the last two with the pipe's
 * serializer. One codec per pipe end: encoding is done under the send lock, decoding under
 * the read lock, so each half is used by one thread at a time; the two halves share nothing.
 */
final class DataFrameCodec {

    private final String serializerName;
    private final Serializer writer;
    private final Serializer reader;
    private final Slice slice = new Slice();

    /**
     * Creates a codec.
     *
     * @param serializerName the serializer's name, for error messages
     * @param writer serializes outgoing channels and payloads
     * @param reader deserializes incoming ones
     */
    DataFrameCodec(String serializerName, Serializer writer, Serializer reader) {
        this.serializerName = serializerName;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * Appends a data frame's body, after its kind byte.
     *
     * @param out the buffer
     * @param data the payload
     * @param channel the channel, {@code null} for the default one
     * @param kind plain, request or reply
     * @param priority the payload's priority, or {@code NaN} if it has none
     * @throws SerializationException if the channel or payload cannot be serialized; the
     *     caller truncates what was appended
     */
    void encode(FrameBuffer out, Object data, Object channel, MessageKind kind, double priority) {
        boolean prioritized = !Double.isNaN(priority);
        out.write(kind.flag() | (channel == null ? Wire.DEFAULT_CHANNEL : 0) | (prioritized ? Wire.PRIORITIZED : 0));
        if (prioritized) {
            long bits = Double.doubleToRawLongBits(priority);
            out.writeInt((int) (bits >>> 32));
            out.writeInt((int) bits);
        }
        if (channel != null) {
            int lengthAt = out.size();
            out.writeInt(0);
            serialize(out, channel, "channel");
            out.putInt(lengthAt, out.size() - lengthAt - 4);
        }
        serialize(out, data, "payload");
    }

    private void serialize(FrameBuffer out, Object value, String what) {
        try {
            writer.serialize(value, out);
        } catch (KryoSerializer.GivenBack closed) {
            throw closed; // a send that raced with close()
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String type = value == null ? "null" : value.getClass().getName();
            boolean explained = e instanceof IllegalArgumentException && e.getMessage() != null;
            String detail = explained ? e.getMessage() : e.toString();
            // An explained failure's message is in this one: its cause says what it adds
            Throwable cause = explained && e.getCause() != null ? e.getCause() : e;
            throw new SerializationException("Cannot send the " + what + " (" + type + ") with the '"
                    + serializerName + "' serializer; nothing was sent. " + detail, cause);
        }
    }

    /**
     * Decodes a data frame's body, after its kind byte.
     *
     * @param bytes the array holding it
     * @param offset where it starts
     * @param length its length
     * @return the message; a NaN priority from a foreign peer becomes positive infinity
     * @throws IOException if the body is malformed
     * @throws UndecodableValue if the serializer cannot decode the channel or payload
     */
    Message<Object> decode(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        if (length < 1) {
            throw new IOException("frame too short");
        }
        int flags = bytes[offset++];
        double priority = Double.NEGATIVE_INFINITY;
        if ((flags & Wire.PRIORITIZED) != 0) {
            priority = Double.longBitsToDouble((long) readInt(bytes, offset, end) << 32
                    | readInt(bytes, offset + 4, end) & 0xffffffffL);
            offset += 8;
        }
        Object channel = null;
        if ((flags & Wire.DEFAULT_CHANNEL) == 0) {
            int channelLength = readInt(bytes, offset, end);
            offset += 4;
            if (channelLength < 0 || channelLength > end - offset) {
                throw new IOException("channel length " + channelLength + " exceeds the frame");
            }
            channel = deserialize(bytes, offset, channelLength, "channel", length);
            offset += channelLength;
        }
        Object payload = deserialize(bytes, offset, end - offset, "payload", length);
        return new Message<>(payload, channel, (flags & Wire.REQUEST) != 0, (flags & Wire.REPLY) != 0,
                Double.isNaN(priority) ? Double.POSITIVE_INFINITY : priority);
    }

    /**
     * Deserializes a channel or payload of a message of {@code messageLength} bytes; what the
     * serializer cannot decode is an {@link UndecodableValue}.
     */
    private Object deserialize(byte[] bytes, int offset, int length, String what, int messageLength) {
        try {
            return reader.deserialize(slice.reset(bytes, offset, length));
        } catch (KryoSerializer.GivenBack closed) {
            throw closed; // a receive that raced with close()
        } catch (IOException | RuntimeException | StackOverflowError | LinkageError e) {
            throw new UndecodableValue("The " + what + " of a " + messageLength + "-byte message did not decode with the '"
                    + serializerName + "' serializer on the other side: " + e, e);
        }
    }

    /** A channel or payload that the serializer could not decode: the frame was whole, its value was not readable here. */
    static final class UndecodableValue extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UndecodableValue(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads 4 bytes at {@code offset}, big-endian, checking that they are inside the frame. */
    private static int readInt(byte[] bytes, int offset, int end) throws IOException {
        if (offset + 4 > end) {
            throw new IOException("frame too short");
        }
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | (bytes[offset + 3] & 0xff);
    }

    /** Returns the serializer's name. */
    String serializerName() {
        return serializerName;
    }
}
