package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.Message;
import coproc.api.MessageNotRecognizedException;
import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.api.TruncatedFrameException;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.RawPeer.Frames;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a messenger does with bad bytes from its peer, and with frames too long to send: a
 * clear exception each time, on the receiving side of the bytes, never a hang or a silent drop.
 */
@Timeout(30)
class FramingFailureTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static MessengerOptions options(String serializer) {
        return MessengerOptions.defaults().withSerializer(serializer);
    }

    @Test
    void shouldRefuseAnIncomingFrameLongerThanTheMaximumNamingBothNumbers() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults().withMaxFrameLength(1024))) {
            raw.write(Frames.data("kryo", "before"), Frames.withLength(5000, new byte[16]));

            assertEquals("before", raw.messenger.receiveBlocking(PATIENCE));
            FrameTooLongException e = assertThrows(FrameTooLongException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), allOf(containsString("Frame length 5000 exceeds maxFrameLength 1024"),
                    containsString("the pipe is finished")));
            assertEquals(5000, e.length());
            assertEquals(1024, e.maxFrameLength());
            // The pipe is finished: every later receive says the same, none hangs.
            assertThrows(FrameTooLongException.class, () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThrows(FrameTooLongException.class, () -> raw.messenger.available());
        }
    }

    @Test
    void shouldRefuseAHugeLengthPrefixWithoutAllocatingIt() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(Frames.withLength(Integer.MAX_VALUE, new byte[] {FrameKind.DATA.code()}));

            FrameTooLongException e = assertThrows(FrameTooLongException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), containsString("Frame length " + Integer.MAX_VALUE + " exceeds maxFrameLength "
                    + MessengerOptions.DEFAULT_MAX_FRAME_LENGTH));
        }
    }

    @Test
    void shouldWriteNothingWhenAnOutgoingFrameIsTooLongAndStayUsable() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults().withMaxFrameLength(1024))) {
            FrameTooLongException e = assertThrows(FrameTooLongException.class,
                    () -> raw.messenger.sendRequest(new byte[4096], "big"));
            assertThat(e.getMessage(), allOf(startsWith("Frame length " + e.length() + " exceeds maxFrameLength 1024"),
                    containsString("nothing was sent; the messenger stays usable")));
            assertThat(e.length(), greaterThan(4096L));
            assertEquals(0, raw.messenger.requestsSent("big"), "a refused request is not counted");
            assertEquals(0, raw.messenger.messagesSent("big"), "a refused message is not counted");
            assertEquals(0, raw.messenger.remaining("big"));

            raw.messenger.sendRequest("small", "big");

            // The first frame on the wire is the small one: nothing of the big one was written.
            Message<Object> first = raw.readData("kryo");
            assertEquals(new Message<>("small", "big", true, false, Double.NEGATIVE_INFINITY), first);
            assertEquals(1, raw.messenger.requestsSent("big"));
        }
    }

    @Test
    void shouldThrowTruncatedFrameWhenThePeerClosesMidFrame() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            byte[] whole = Frames.data("kryo", "a message that will be cut short");
            raw.write(Frames.data("kryo", "complete"), java.util.Arrays.copyOf(whole, 10));
            raw.shutdownOutput();

            assertEquals("complete", raw.messenger.receiveBlocking(PATIENCE));
            TruncatedFrameException e = assertThrows(TruncatedFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            String expected = "Truncated frame: the stream ended after 6 of " + (whole.length - 4) + " bytes";
            assertThat(e.getMessage(), allOf(containsString(expected),
                    containsString("the other side closed or died while writing")));
            assertThrows(TruncatedFrameException.class, () -> raw.messenger.receiveBlocking());
        }
    }

    @Test
    void shouldThrowTruncatedFrameWhenThePeerClosesInsideALengthPrefix() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(new byte[] {0, 0});
            raw.shutdownOutput();

            TruncatedFrameException e = assertThrows(TruncatedFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), containsString("the stream ended after 2 of the 4 bytes of a length prefix"));
        }
    }

    @Test
    void shouldThrowCorruptFrameForANegativeLengthPrefixAndFinishThePipe() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            // One write: the messenger closes the pipe as soon as it meets the bad prefix.
            byte[] before = Frames.data("kryo", "before");
            byte[] after = Frames.data("kryo", "after");
            raw.write(java.nio.ByteBuffer.allocate(before.length + 4 + after.length).put(before)
                    .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe}).put(after).array());

            assertEquals("before", raw.messenger.receiveBlocking(PATIENCE));
            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e, not(instanceOf(TruncatedFrameException.class)));
            assertThat(e.getMessage(), allOf(containsString("negative length prefix -2 (0xfffffffe)"),
                    containsString("not coproc frames")));
            // The frame boundaries are lost: what followed is not read as a frame.
            assertThrows(CorruptFrameException.class, () -> raw.messenger.receiveBlocking(PATIENCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldDropAPayloadThatDoesNotDecodeAndTellThePeer(String serializer) throws Exception {
        try (RawPeer raw = RawPeer.connect(options(serializer))) {
            raw.write(Frames.dataWithPayloadBytes(new byte[] {0x7f, 0x7f, 0x7f, 0x7f, 0x7f}),
                    Frames.data(serializer, "the next good frame"));

            assertEquals("the next good frame", raw.messenger.receiveBlocking(PATIENCE), "dropped, not thrown");
            assertFalse(raw.messenger.isClosed());
            byte[] notice = raw.readBody();
            assertEquals(FrameKind.REJECTED.code(), notice[0], "the peer is told");
            assertThat(new String(notice, 1, notice.length - 1, java.nio.charset.StandardCharsets.UTF_8), allOf(
                    containsString("payload"), containsString("did not decode with the '" + serializer + "' serializer")));
        }
    }

    @Test
    void shouldThrowCorruptFrameForATruncatedChannelAndStayUsable() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            // flags say "a channel follows" but its length runs past the end of the frame
            byte[] body = {FrameKind.DATA.code(), 0, 0x00, 0x00, 0x7f, 0x00, 1, 2, 3};
            raw.write(Frames.frame(body), Frames.data("kryo", "next"));

            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), allOf(containsString("did not decode"),
                    containsString("channel length 32512 exceeds the frame")));
            assertEquals("next", raw.messenger.receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldThrowCorruptFrameForAnEmptyFrameAndStayUsable() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(Frames.frame(new byte[0]), Frames.data("kryo", "next"));

            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), containsString("empty body"));
            assertEquals("next", raw.messenger.receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldThrowCorruptFrameForAnErrorFrameThatDoesNotDecodeAndStayUsable() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(Frames.frame(new byte[] {FrameKind.ERROR.code(), 0x7f, 0, 0, 0}), Frames.data("kryo", "next"));

            CorruptFrameException e = assertThrows(CorruptFrameException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), allOf(containsString("error frame did not decode"),
                    containsString("bad cause count")));
            assertEquals("next", raw.messenger.receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldThrowMessageNotRecognizedForAnUnknownFrameKindAndStayUsable() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(Frames.frame(new byte[] {99, 1, 2, 3}), Frames.data("kryo", "next"));

            MessageNotRecognizedException e = assertThrows(MessageNotRecognizedException.class,
                    () -> raw.messenger.receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), allOf(containsString("Unrecognized frame kind 99 (4 bytes)"),
                    containsString("dropped it")));
            assertEquals("next", raw.messenger.receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldRefuseAKryoStringLongerThanItsFrameWithoutRunningOutOfMemory() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            // class id of String (registered id 1, written + 2), then a UTF-8 string length of
            // about 2^31 characters in Kryo's variable-length encoding, and no characters
            byte[] payload = {0x03, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
            raw.write(Frames.dataWithPayloadBytes(payload), Frames.data("kryo", "next"));

            // refused before anything was allocated for it, dropped, and the peer told why
            assertEquals("next", raw.messenger.receiveBlocking(PATIENCE));
            byte[] notice = raw.readBody();
            assertEquals(FrameKind.REJECTED.code(), notice[0]);
            assertThat(new String(notice, 1, notice.length - 1, java.nio.charset.StandardCharsets.UTF_8), allOf(
                    containsString("did not decode with the 'kryo' serializer"), containsString("Refusing a string")));
        }
    }

    @Test
    void shouldReturnQueuedMessagesThenThrowPipeClosedWhenThePeerClosesCleanly() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.write(Frames.data("kryo", "one"), Frames.data("kryo", "two"));
            raw.peer.close();

            assertEquals(List.of("one", "two"), receiveAll(raw));
            PipeClosedException e = assertThrows(PipeClosedException.class, () -> raw.messenger.receiveBlocking());
            assertThat(e.getMessage(), containsString("The other side closed the pipe"));
            assertThrows(PipeClosedException.class, () -> raw.messenger.receiveBlocking());
        }
    }

    @Test
    void shouldThrowThePipeFailureFromAwaitAvailableOnceItIsKnown() throws Exception {
        try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
            raw.peer.close();

            // Only the end of the stream arrives: that is no message, so waiting fails, and fails
            // again at once, never hangs.
            PipeException e = assertThrows(PipeClosedException.class, () -> raw.messenger.awaitAvailable(PATIENCE));
            assertThat(e.getMessage(), containsString("The other side closed the pipe"));
            assertThrows(PipeClosedException.class, () -> raw.messenger.awaitAvailable());
        }
    }

    private static List<String> receiveAll(RawPeer raw) throws Exception {
        List<String> got = new java.util.ArrayList<>();
        got.add(raw.messenger.receiveBlocking(PATIENCE));
        got.add(raw.messenger.receiveBlocking(PATIENCE));
        assertInstanceOf(PipeClosedException.class,
                assertThrows(PipeException.class, () -> raw.messenger.receiveBlocking(PATIENCE)));
        return got;
    }
}
