package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.FrameTooLongException;
import coproc.api.Message;
import coproc.api.SerializationException;
import coproc.api.spi.Serializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DataFrameCodec} and {@link FrameWriter} on their own: a data frame's body as
 * {@link Wire} lays it out, what a malformed body is, and the outgoing frame limit.
 */
class DataFrameCodecTest {

    private static DataFrameCodec codec(String serializer) {
        var provider = ProviderRegistry.SERIALIZERS.named(serializer);
        return new DataFrameCodec(serializer, provider.create(), provider.create());
    }

    private static byte[] encode(DataFrameCodec codec, Object data, Object channel, MessageKind kind, double priority) {
        FrameBuffer out = new FrameBuffer(16);
        codec.encode(out, data, channel, kind, priority);
        return Arrays.copyOf(out.array(), out.size());
    }

    /** A body with the given flags byte and then the given ints. */
    private static byte[] body(int flags, int... ints) {
        ByteBuffer body = ByteBuffer.allocate(1 + 4 * ints.length).put((byte) flags);
        for (int value : ints) {
            body.putInt(value);
        }
        return body.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldDecodeWhatItEncodesWithEveryKindChannelAndPriority(String serializer) throws IOException {
        DataFrameCodec codec = codec(serializer);
        // The last priority has the sign bit of its low 32 bits set: they must not spill into the high ones.
        double[] priorities = {Double.NaN, 1.5, -2.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.longBitsToDouble(0x3ff0_0000_8000_0001L)};
        for (MessageKind kind : MessageKind.values()) {
            for (Object channel : Arrays.asList(null, "jobs", 3)) {
                for (double priority : priorities) {
                    byte[] bytes = encode(codec, List.of("payload", 1), channel, kind, priority);
                    Message<Object> message = codec.decode(bytes, 0, bytes.length);
                    String context = kind + ", " + channel + ", " + priority;
                    assertEquals(List.of("payload", 1), message.payload(), context);
                    assertEquals(channel, message.channel(), context);
                    assertEquals(kind == MessageKind.REQUEST, message.request(), context);
                    assertEquals(kind == MessageKind.REPLY, message.reply(), context);
                    assertEquals(Double.isNaN(priority) ? Double.NEGATIVE_INFINITY : priority, message.priority(),
                            context);
                }
            }
        }
    }

    @Test
    void shouldDecodeAtAnOffsetWithinALargerArray() throws IOException {
        DataFrameCodec codec = codec("java");
        byte[] bytes = encode(codec, "x", "c", MessageKind.PLAIN, 2.5);
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);

        assertEquals(new Message<>("x", "c", false, false, 2.5), codec.decode(padded, 5, bytes.length));
    }

    @Test
    void shouldTakeAForeignNanPriorityAsPositiveInfinity() throws IOException {
        long nan = Double.doubleToRawLongBits(Double.NaN);
        byte[] prefix = body(Wire.PRIORITIZED | Wire.DEFAULT_CHANNEL, (int) (nan >>> 32), (int) nan);
        byte[] payload = encode(codec("java"), "x", null, MessageKind.PLAIN, Double.NaN);
        byte[] bytes = concat(prefix, Arrays.copyOfRange(payload, 1, payload.length));

        assertEquals(Double.POSITIVE_INFINITY, codec("java").decode(bytes, 0, bytes.length).priority());
    }

    @Test
    void shouldRefuseBodiesTooShortForWhatTheirFlagsAnnounce() {
        DataFrameCodec codec = codec("java");
        assertEquals("frame too short", assertThrows(IOException.class, () -> codec.decode(new byte[1], 0, 0))
                .getMessage());
        byte[] shortPriority = Arrays.copyOf(body(Wire.PRIORITIZED | Wire.DEFAULT_CHANNEL, 0, 0), 8);
        assertEquals("frame too short", assertThrows(IOException.class,
                () -> codec.decode(shortPriority, 0, shortPriority.length)).getMessage());
        byte[] shortChannelLength = {0, 0, 0, 1};
        assertEquals("frame too short", assertThrows(IOException.class,
                () -> codec.decode(shortChannelLength, 0, shortChannelLength.length)).getMessage());
    }

    @Test
    void shouldRefuseAChannelLengthOutsideTheFrame() {
        DataFrameCodec codec = codec("java");
        byte[] negative = body(0, -1);
        assertEquals("channel length -1 exceeds the frame",
                assertThrows(IOException.class, () -> codec.decode(negative, 0, negative.length)).getMessage());
        byte[] beyond = concat(body(0, 3), new byte[] {1, 2});
        assertEquals("channel length 3 exceeds the frame",
                assertThrows(IOException.class, () -> codec.decode(beyond, 0, beyond.length)).getMessage());
    }

    @Test
    void shouldReadFieldsThatEndExactlyAtTheFrameEnd() {
        DataFrameCodec codec = codec("java");
        // A priority that ends the frame, and a channel that fills the rest: both are whole,
        // and what is missing is the payload, which does not decode.
        byte[] priorityToTheEnd = body(Wire.PRIORITIZED | Wire.DEFAULT_CHANNEL, 0, 0);
        assertInstanceOf(DataFrameCodec.UndecodableValue.class, assertThrows(RuntimeException.class,
                () -> codec.decode(priorityToTheEnd, 0, priorityToTheEnd.length)));
        byte[] channel = encode(codec, null, "c", MessageKind.PLAIN, Double.NaN);
        int channelLength = ByteBuffer.wrap(channel, 1, 4).getInt();
        byte[] channelToTheEnd = Arrays.copyOf(channel, 5 + channelLength);
        DataFrameCodec.UndecodableValue e = assertThrows(DataFrameCodec.UndecodableValue.class,
                () -> codec.decode(channelToTheEnd, 0, channelToTheEnd.length));
        assertTrue(e.getMessage().startsWith("The payload of a "), e.getMessage());
        assertTrue(e.getMessage().contains("message did not decode with the 'java' serializer on the other side: "),
                e.getMessage());
    }

    @Test
    void shouldNameTheValueItCannotDecode() {
        DataFrameCodec codec = codec("java");
        byte[] badChannel = concat(body(0, 2), new byte[] {1, 2});
        DataFrameCodec.UndecodableValue e = assertThrows(DataFrameCodec.UndecodableValue.class,
                () -> codec.decode(badChannel, 0, badChannel.length));
        assertTrue(e.getMessage().startsWith("The channel of a "), e.getMessage());
        assertTrue(e.getMessage().contains("message did not decode with the 'java' serializer"), e.getMessage());
    }

    @Test
    void shouldTakeAnEmptyChannelAsAValueItCannotDecodeNotAsAMalformedFrame() {
        DataFrameCodec codec = codec("java");
        byte[] payload = encode(codec, "x", null, MessageKind.PLAIN, Double.NaN);
        byte[] emptyChannel = concat(body(0, 0), Arrays.copyOfRange(payload, 1, payload.length));

        DataFrameCodec.UndecodableValue e = assertThrows(DataFrameCodec.UndecodableValue.class,
                () -> codec.decode(emptyChannel, 0, emptyChannel.length));

        assertTrue(e.getMessage().startsWith("The channel of a "), e.getMessage());
    }

    @Test
    void shouldNameTheSizeOfTheWholeMessageWhoseValueItCannotDecode() {
        DataFrameCodec codec = codec("java");
        byte[] channel = encode(codec, null, "c", MessageKind.PLAIN, 1.5);
        int channelLength = ByteBuffer.wrap(channel, 9, 4).getInt();
        byte[] badPayload = concat(Arrays.copyOf(channel, 13 + channelLength), new byte[] {1, 2, 3});
        byte[] badChannel = concat(body(Wire.PRIORITIZED, 0, 0, 2), new byte[] {1, 2, 7, 7, 7});

        DataFrameCodec.UndecodableValue payload = assertThrows(DataFrameCodec.UndecodableValue.class,
                () -> codec.decode(badPayload, 0, badPayload.length));
        DataFrameCodec.UndecodableValue other = assertThrows(DataFrameCodec.UndecodableValue.class,
                () -> codec.decode(badChannel, 0, badChannel.length));

        assertTrue(payload.getMessage().startsWith("The payload of a " + badPayload.length + "-byte message "),
                payload.getMessage());
        assertTrue(other.getMessage().startsWith("The channel of a " + badChannel.length + "-byte message "),
                other.getMessage());
    }

    @Test
    void shouldNameTheTypeAndTheSerializerWhenAValueCannotBeSent() {
        Serializer failing = new Serializer() {
            @Override
            public void serialize(Object value, OutputStream out) {
                if (value instanceof Integer) {
                    throw new IllegalArgumentException("integers are not allowed", new IllegalStateException("why"));
                }
                throw new UnsupportedOperationException("nothing is allowed");
            }

            @Override
            public Object deserialize(InputStream in) {
                throw new UnsupportedOperationException();
            }
        };
        DataFrameCodec codec = new DataFrameCodec("failing", failing, failing);
        FrameBuffer out = new FrameBuffer(16);

        SerializationException explained = assertThrows(SerializationException.class,
                () -> codec.encode(out, 1, null, MessageKind.PLAIN, Double.NaN));
        assertEquals("Cannot send the payload (java.lang.Integer) with the 'failing' serializer; nothing was sent."
                + " integers are not allowed", explained.getMessage());
        assertEquals("why", explained.getCause().getMessage());

        SerializationException other = assertThrows(SerializationException.class,
                () -> codec.encode(out, null, "c", MessageKind.PLAIN, Double.NaN));
        assertEquals("Cannot send the channel (java.lang.String) with the 'failing' serializer; nothing was sent."
                + " java.lang.UnsupportedOperationException: nothing is allowed", other.getMessage());
        assertInstanceOf(UnsupportedOperationException.class, other.getCause());

        SerializationException nullPayload = assertThrows(SerializationException.class,
                () -> codec.encode(out, null, null, MessageKind.PLAIN, Double.NaN));
        assertTrue(nullPayload.getMessage().startsWith("Cannot send the payload (null)"), nullPayload.getMessage());
        assertEquals("failing", codec.serializerName());
    }

    // --- FrameWriter ---

    @Test
    void shouldFrameABodyOfExactlyTheMaximumLengthWithItsLengthAndKind() {
        FrameWriter frames = new FrameWriter(11);
        FrameBuffer out = new FrameBuffer(4);
        out.write(new byte[] {9, 9, 9}, 0, 3);

        int start = frames.begin(out, FrameKind.DATA);
        out.write(new byte[10], 0, 10);
        frames.end(out, start);

        assertEquals(3, start);
        ByteBuffer written = ByteBuffer.wrap(out.array(), 0, out.size());
        assertEquals(3 + 4 + 11, out.size());
        assertEquals(11, written.getInt(3), "the length counts the kind byte and the body");
        assertEquals(FrameKind.DATA.code(), written.get(7));
    }

    @Test
    void shouldRefuseAFrameOneByteLongerThanTheMaximumNamingBoth() {
        FrameWriter frames = new FrameWriter(10);
        FrameBuffer out = new FrameBuffer(4);

        int start = frames.begin(out, FrameKind.ERROR);
        out.write(new byte[10], 0, 10);
        FrameTooLongException e = assertThrows(FrameTooLongException.class, () -> frames.end(out, start));

        assertEquals(11, e.length());
        assertEquals(10, e.maxFrameLength());
        assertEquals("Frame length 11 exceeds maxFrameLength 10: nothing was sent; the messenger stays usable. Send"
                + " smaller payloads or raise maxFrameLength", e.getMessage());
        assertEquals(0, ByteBuffer.wrap(out.array()).getInt(start), "the length is not filled in");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
