package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.CorruptFrameException;
import coproc.api.Message;
import coproc.api.MessageNotRecognizedException;
import coproc.api.MessageRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameDecoder} on its own: which {@link InboxItem} each kind of frame body becomes. A
 * frame that became no item (as output frames do) would leave a receive waiting for ever, so
 * these are checked here, where a wrong answer fails an assertion at once.
 */
class FrameDecoderTest {

    private final DataFrameCodec codec = new DataFrameCodec("java",
            ProviderRegistry.SERIALIZERS.named("java").create(), ProviderRegistry.SERIALIZERS.named("java").create());
    private final FrameDecoder decoder = new FrameDecoder(codec);

    /** The body of a frame of the given kind: its kind byte, then the bytes. */
    private static byte[] frame(FrameKind kind, byte... body) {
        byte[] frame = new byte[1 + body.length];
        frame[0] = kind.code();
        System.arraycopy(body, 0, frame, 1, body.length);
        return frame;
    }

    /** The bytes at offset 3 of a larger array, with other bytes on both sides. */
    private static byte[] padded(byte[] frame) {
        byte[] padded = new byte[3 + frame.length + 4];
        Arrays.fill(padded, (byte) 'x');
        System.arraycopy(frame, 0, padded, 3, frame.length);
        return padded;
    }

    @Test
    void shouldDecodeADataFrameIntoItsMessage() {
        FrameBuffer body = new FrameBuffer(64);
        codec.encode(body, "payload", "jobs", MessageKind.REQUEST, 2.5);
        byte[] frame = frame(FrameKind.DATA, Arrays.copyOf(body.array(), body.size()));

        InboxItem.Data data = assertInstanceOf(InboxItem.Data.class, decoder.decode(padded(frame), 3, frame.length));

        assertEquals(new Message<>("payload", "jobs", true, false, 2.5), data.message());
    }

    @Test
    void shouldTurnARejectionIntoAFailureQuotingTheOtherSidesReasonExactly() {
        byte[] frame = frame(FrameKind.REJECTED, "bad payload é".getBytes(StandardCharsets.UTF_8));
        String expected = "The other side dropped a message this side sent: bad payload é";

        for (byte[] bytes : List.of(frame, padded(frame))) {
            int offset = bytes == frame ? 0 : 3;
            InboxItem.Failure failure = assertInstanceOf(InboxItem.Failure.class,
                    decoder.decode(bytes, offset, frame.length));
            assertEquals(expected, assertInstanceOf(MessageRejectedException.class, failure.error()).getMessage());
        }
    }

    @Test
    void shouldTurnAnErrorFrameIntoTheRemoteError() throws IOException {
        FrameBuffer body = new FrameBuffer(256);
        ErrorCodec.encode(new IllegalStateException("over there"), body);
        byte[] frame = frame(FrameKind.ERROR, Arrays.copyOf(body.array(), body.size()));

        InboxItem.RemoteError error = assertInstanceOf(InboxItem.RemoteError.class,
                decoder.decode(padded(frame), 3, frame.length));

        assertEquals("over there", assertInstanceOf(IllegalStateException.class, error.error()).getMessage());
    }

    @Test
    void shouldTurnACloseFrameIntoACloseRequest() {
        byte[] frame = frame(FrameKind.CLOSE);

        assertSame(InboxItem.CloseRequest.INSTANCE, decoder.decode(frame, 0, frame.length));
    }

    @Test
    void shouldGiveOutputToTheSinkIncludingAnEmptyPieceAndReturnNoItem() {
        List<String> written = new ArrayList<>();
        decoder.output((standardError, bytes, offset, length) -> written.add(
                (standardError ? "err:" : "out:") + new String(bytes, offset, length, StandardCharsets.UTF_8)));
        byte[] text = frame(FrameKind.OUTPUT, (byte) Wire.STDERR, (byte) 'h', (byte) 'i');
        byte[] empty = frame(FrameKind.OUTPUT, (byte) Wire.STDOUT);

        assertNull(decoder.decode(padded(text), 3, text.length));
        assertNull(decoder.decode(empty, 0, empty.length), "an output frame with no text is still an output frame");

        assertEquals(List.of("err:hi", "out:"), written);
    }

    @Test
    void shouldDropAnOutputFrameWithoutItsStreamByteAsUnrecognized() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        decoder.output((standardError, bytes, offset, length) -> written.write(bytes, offset, length));
        byte[] frame = frame(FrameKind.OUTPUT);

        InboxItem.Failure failure = assertInstanceOf(InboxItem.Failure.class, decoder.decode(frame, 0, frame.length));

        assertInstanceOf(MessageNotRecognizedException.class, failure.error());
        assertEquals(0, written.size());
    }

    @Test
    void shouldTurnAnUndecodablePayloadIntoAnUndecodableItemNamingIt() {
        byte[] frame = frame(FrameKind.DATA, (byte) Wire.DEFAULT_CHANNEL, (byte) 1, (byte) 2, (byte) 3);

        InboxItem.Undecodable undecodable = assertInstanceOf(InboxItem.Undecodable.class,
                decoder.decode(padded(frame), 3, frame.length));

        assertTrue(undecodable.description().startsWith("The payload of a 4-byte message did not decode with the"
                + " 'java' serializer"), undecodable.description());
    }

    @Test
    void shouldTurnAnEmptyOrMalformedBodyIntoACorruptFrameFailure() {
        byte[] empty = new byte[0];
        byte[] shortData = frame(FrameKind.DATA, (byte) Wire.PRIORITIZED);

        assertInstanceOf(CorruptFrameException.class,
                assertInstanceOf(InboxItem.Failure.class, decoder.decode(empty, 0, 0)).error());
        CorruptFrameException corrupt = assertInstanceOf(CorruptFrameException.class,
                assertInstanceOf(InboxItem.Failure.class, decoder.decode(shortData, 0, shortData.length)).error());
        assertTrue(corrupt.getMessage().startsWith("Corrupt frame: a 2-byte data frame did not decode"),
                corrupt.getMessage());
    }

    @Test
    void shouldTurnAnUnknownKindIntoAFailureNamingTheKindByte() {
        byte[] frame = {(byte) 0x7e, 1, 2};

        MessageNotRecognizedException e = assertInstanceOf(MessageNotRecognizedException.class,
                assertInstanceOf(InboxItem.Failure.class, decoder.decode(frame, 0, frame.length)).error());

        assertTrue(e.getMessage().startsWith("Unrecognized frame kind 126 (3 bytes)"), e.getMessage());
        assertArrayEquals(new byte[] {(byte) 0x7e, 1, 2}, frame, "the decoder leaves the bytes alone");
    }
}
