package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameReader} on its own: bytes in through {@link FrameReader#readFrom}, frames out
 * of {@link FrameReader#next}, on blocking channels that hand out the bytes in pieces.
 */
class FrameReaderTest {

    /** A blocking channel over bytes that returns at most {@code chunk} bytes a read, and counts reads. */
    private static final class Chunked implements ReadableByteChannel {
        private final ReadableByteChannel in;
        private final int chunk;
        int reads;

        Chunked(byte[] bytes, int chunk) {
            this.in = Channels.newChannel(new ByteArrayInputStream(bytes));
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            reads++;
            ByteBuffer limited = dst.slice();
            limited.limit(Math.min(chunk, limited.remaining()));
            int n = in.read(limited);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] body(int length, long seed) {
        byte[] body = new byte[length];
        new Random(seed).nextBytes(body);
        return body;
    }

    private static byte[] current(FrameReader frames) {
        return Arrays.copyOfRange(frames.array(), frames.offset(), frames.offset() + frames.length());
    }

    /** Reads until a frame is complete; fails at the end of the stream. */
    private static byte[] nextFrame(FrameReader frames, ReadableByteChannel channel) throws IOException {
        while (!frames.next()) {
            assertTrue(frames.readFrom(channel) >= 0, "the stream ended before the frame");
        }
        return current(frames);
    }

    @Test
    void shouldAcceptAFrameOfExactlyTheMaximumLength() throws IOException {
        byte[] body = body(100, 1);
        FrameReader frames = new FrameReader(100);

        assertArrayEquals(body, nextFrame(frames, new Chunked(frame(body), 7)));
    }

    @Test
    void shouldRefuseAFrameOneByteLongerThanTheMaximumNamingBoth() throws IOException {
        FrameReader frames = new FrameReader(100);
        Chunked channel = new Chunked(frame(body(101, 1)), 1000);

        frames.readFrom(channel);
        FrameTooLongException e = assertThrows(FrameTooLongException.class, frames::next);
        assertEquals(101, e.length());
        assertEquals(100, e.maxFrameLength());
        assertTrue(e.getMessage().startsWith("Frame length 101 exceeds maxFrameLength 100"), e.getMessage());
        assertThrows(FrameTooLongException.class, () -> frames.readFrom(channel), "the next read checks it too");
    }

    @Test
    void shouldAcceptAnEmptyFrameWithAMaximumOfZero() throws IOException {
        FrameReader frames = new FrameReader(0);

        assertEquals(0, nextFrame(frames, new Chunked(frame(new byte[0]), 1)).length);
        assertThrows(IllegalArgumentException.class, () -> new FrameReader(-1));
        assertEquals("maxFrameLength must not be negative: -5",
                assertThrows(IllegalArgumentException.class, () -> frames.setMaxFrameLength(-5)).getMessage());
    }

    @Test
    void shouldRefuseANegativeLengthPrefixAsCorrupt() throws IOException {
        FrameReader frames = new FrameReader(100);
        frames.readFrom(new Chunked(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 0}, 100));

        CorruptFrameException e = assertThrows(CorruptFrameException.class, frames::next);
        assertTrue(e.getMessage().contains("negative length prefix -2 (0xfffffffe)"), e.getMessage());
    }

    @Test
    void shouldNeedMoreBytesUntilThePrefixAndTheWholeBodyHaveArrived() throws IOException {
        byte[] stream = frame(new byte[] {1, 2, 3});
        FrameReader frames = new FrameReader(100);
        Chunked channel = new Chunked(stream, 1);

        for (int have = 0; have < stream.length; have++) {
            assertFalse(frames.next(), "a frame after " + have + " of " + stream.length + " bytes");
            assertEquals(1, frames.readFrom(channel));
        }
        assertTrue(frames.next());
        assertArrayEquals(new byte[] {1, 2, 3}, current(frames));
        assertFalse(frames.next(), "one frame, once");
        assertEquals(-1, frames.readFrom(channel));
        assertNull(frames.endOfStream(), "the stream ended between frames");
    }

    @Test
    void shouldSplitSeveralFramesOfOneReadWithoutReadingAgain() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) {
            stream.writeBytes(frame(body(10 + i, i)));
        }
        FrameReader frames = new FrameReader(100);
        Chunked channel = new Chunked(stream.toByteArray(), 10_000);

        assertEquals(stream.size(), frames.readFrom(channel));
        for (int i = 0; i < 5; i++) {
            assertTrue(frames.next(), "frame " + i);
            assertArrayEquals(body(10 + i, i), current(frames));
        }
        assertFalse(frames.next());
        assertEquals(1, channel.reads);
    }

    @Test
    void shouldGrowForAFrameLargerThanItsBufferKeepingEveryByte() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] small = body(10, 1);
        byte[] large = body(300_000, 2);
        byte[] middle = body(70_000, 3);
        stream.writeBytes(frame(small));
        stream.writeBytes(frame(large));
        stream.writeBytes(frame(middle));
        stream.writeBytes(frame(small));
        FrameReader frames = new FrameReader(300_000);
        Chunked channel = new Chunked(stream.toByteArray(), 50_000);

        assertArrayEquals(small, nextFrame(frames, channel));
        assertArrayEquals(large, nextFrame(frames, channel));
        assertArrayEquals(middle, nextFrame(frames, channel));
        assertArrayEquals(small, nextFrame(frames, channel));
        assertEquals(-1, frames.readFrom(channel));
        assertNull(frames.endOfStream());
    }

    @Test
    void shouldGrowAtMostTwofoldAReadForAHugeAnnouncedLength() throws IOException {
        // 64 MiB announced, 200,000 bytes sent: the buffer doubles only when full, so it grows
        // only as far as bytes arrive.
        byte[] stream = ByteBuffer.allocate(4 + 200_000).putInt(64 << 20).array();
        FrameReader frames = new FrameReader(64 << 20);
        Chunked channel = new Chunked(stream, 1 << 20);

        assertEquals(65_536, frames.readFrom(channel), "the first read fills the initial buffer");
        assertFalse(frames.next());
        assertEquals(65_536, frames.array().length);
        assertEquals(65_536, frames.readFrom(channel));
        assertEquals(131_072, frames.array().length);
        assertEquals(stream.length - 131_072, frames.readFrom(channel));
        assertEquals(262_144, frames.array().length);
        assertFalse(frames.next());
        assertEquals(-1, frames.readFrom(channel));
        assertEquals("Truncated frame: the stream ended after 200000 of 67108864 bytes; the other side closed or"
                + " died while writing", frames.endOfStream().getMessage());
    }

    @Test
    void shouldSayWhereInAFrameTheStreamEnded() throws IOException {
        FrameReader inPrefix = new FrameReader(100);
        inPrefix.readFrom(new Chunked(new byte[] {0, 0}, 100));
        assertEquals("Truncated frame: the stream ended after 2 of the 4 bytes of a length prefix; the other side"
                + " closed or died while writing", inPrefix.endOfStream().getMessage());

        FrameReader afterPrefix = new FrameReader(100);
        afterPrefix.readFrom(new Chunked(new byte[] {0, 0, 0, 10}, 100));
        assertEquals("Truncated frame: the stream ended after 0 of 10 bytes; the other side closed or died while"
                + " writing", afterPrefix.endOfStream().getMessage());

        FrameReader oneByte = new FrameReader(100);
        oneByte.readFrom(new Chunked(new byte[] {0}, 100));
        assertTrue(oneByte.endOfStream().getMessage().contains("after 1 of the 4 bytes"));
    }
}
