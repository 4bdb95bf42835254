package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.Message;
import coproc.api.MessageNotRecognizedException;
import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.api.ProtocolMismatchException;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.TruncatedFrameException;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.TestPayloads.Sample;
import coproc.messenger.internal.RawPeer.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feeds random byte streams and mutated valid frames (bit flips, truncations, changed length
 * prefixes, inserted and deleted bytes) through a real pipe into a messenger, and checks that
 * each stream ends in one of the documented pipe exceptions: never a hang, never an
 * {@link OutOfMemoryError}, never an exception of another type.
 *
 * <p>Between the start and the end of a stream a receive may also return data messages, or
 * throw what a frame that happens to be well formed says: a close request, or an exception
 * sent with {@code sendError} (which carries the receive's note that the other side sent it).
 * An intact stream of the same frames arrives unchanged.
 */
class FrameDecoderFuzzTest {

    /** A receive that takes longer than this has hung. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final int CASES_PER_SEED = 300;

    /** What a stream may end in: the pipe is finished. */
    private static final Set<Class<? extends PipeException>> TERMINAL = Set.of(PipeClosedException.class,
            TruncatedFrameException.class, CorruptFrameException.class, FrameTooLongException.class,
            MessageNotRecognizedException.class, ProtocolMismatchException.class);

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"kryo, 1", "kryo, 2", "kryo, 3", "kryo, 4", "java, 5", "java, 6", "java, 7"})
    @Timeout(120)
    void shouldEndEveryMutatedOrRandomStreamInADocumentedPipeException(String serializer, long seed)
            throws Exception {
        Random random = new Random(seed);
        List<byte[]> corpus = corpus(serializer);
        for (int i = 0; i < CASES_PER_SEED; i++) {
            byte[] stream = mutate(random, corpus, serializer);
            boolean smallLimit = random.nextInt(4) == 0;
            MessengerOptions options = MessengerOptions.defaults().withSerializer(serializer);
            if (smallLimit) {
                options = options.withMaxFrameLength(1024);
            }
            String context = "seed " + seed + ", case " + i + ", limit " + options.maxFrameLength()
                    + ", stream " + hex(stream);
            try {
                feed(options, stream, context);
            } catch (OutOfMemoryError e) {
                throw new AssertionError(context + ": " + e, e);
            }
        }
    }

    /** The channels of the corpus's data frames. */
    private static final List<Object> CHANNELS = Arrays.asList(null, "channel", 3);

    /**
     * Writes the stream, ends it, and receives on the default channel until the messenger says
     * the pipe is finished; then takes what the corpus's other channels hold, which a finished
     * pipe still hands out.
     */
    private static void feed(MessengerOptions options, byte[] stream, String context) throws IOException {
        try (RawPeer raw = RawPeer.connectQuietly(options)) {
            raw.write(stream);
            raw.shutdownOutput();
            Throwable previous = null;
            for (int receives = 0; receives < 10_000; receives++) {
                try {
                    Message<Object> message = raw.messenger.receiveMessageBlocking(null, PATIENCE);
                    assertNull(message.channel(), context);
                    previous = null;
                } catch (TimeoutException e) {
                    fail(context + ": a receive hung for " + PATIENCE);
                } catch (PipeException e) {
                    if (e == previous) {
                        // A finished pipe throws the same exception to every receive.
                        if (!TERMINAL.contains(e.getClass())) {
                            fail(context + ": the stream ended in an undocumented " + e, e);
                        }
                        for (Object channel : CHANNELS) {
                            assertQueuedOnlyOn(channel, raw.messenger, e, context);
                        }
                        return;
                    }
                    if (!(e instanceof CorruptFrameException) && !(e instanceof MessageNotRecognizedException)
                            && !(e instanceof PipeClosedException) && !(e instanceof FrameTooLongException)) {
                        fail(context + ": unexpected " + e, e);
                    }
                    previous = e;
                } catch (ResourceRequestedCloseException e) {
                    previous = null; // a frame that decodes as a close request
                } catch (RuntimeException e) {
                    // A frame that decodes as a sent error; one the library threw itself is a failure.
                    if (!sentByTheOtherSide(e)) {
                        fail(context + ": undocumented exception " + e, e);
                    }
                    previous = null;
                }
            }
            fail(context + ": the pipe never finished");
        }
    }

    /**
     * Whether an exception is one the other side sent: a receive adds a note to each that can
     * take one, and only to those (see {@link InboxItem.RemoteError#rethrow}).
     */
    private static boolean sentByTheOtherSide(Throwable e) {
        return Arrays.stream(e.getSuppressed()).anyMatch(note -> note.getMessage() != null
                && note.getMessage().startsWith("Sent by the other side of the pipe with sendError"))
                || takesNoNote(e);
    }

    /**
     * Whether an exception cannot carry the note: its suppression is disabled, which the peer's
     * bytes can say of a serialized exception (the library's own exceptions all take notes).
     */
    private static boolean takesNoNote(Throwable e) {
        e.addSuppressed(new Throwable("probe"));
        return e.getSuppressed().length == 0;
    }

    /** Takes what a finished pipe still holds on a channel: messages of that channel only. */
    private static void assertQueuedOnlyOn(Object channel, PipeMessenger messenger, PipeException end,
            String context) {
        try {
            for (Message<Object> message : messenger.<Object>receiveAvailableMessages(channel)) {
                assertEquals(channel, message.channel(), context);
            }
        } catch (PipeException e) {
            assertSame(end, e, context + ": a finished pipe throws what finished it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldDeliverEveryFrameOfAnIntactStreamUnchangedOnItsChannel(String serializer) throws Exception {
        List<Object> plain = Arrays.asList("hello", "héllo wörld, non-ASCII ✓", 42, null,
                new ArrayList<>(List.of("a", "b", "c")), new java.util.HashMap<>(Map.of("k", 1, "l", 2)));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Object payload : plain) {
            data.writeBytes(Frames.data(serializer, payload));
        }
        data.writeBytes(Frames.data(serializer, "a request", "requests", Wire.REQUEST, 1.5));
        data.writeBytes(Frames.data(serializer, "on a channel", "channel", Wire.REPLY, Double.NaN));
        data.writeBytes(Frames.data(serializer, 7L, 3, 0, -2.0));
        data.writeBytes(Frames.data(serializer, new byte[] {1, 2, 3}));
        MessengerOptions options = MessengerOptions.defaults().withSerializer(serializer);
        try (RawPeer raw = RawPeer.connectQuietly(options)) {
            raw.write(data.toByteArray());
            PipeMessenger messenger = raw.messenger;

            for (Object payload : plain) {
                assertEquals(new Message<>(payload, null, false, false, Double.NEGATIVE_INFINITY),
                        messenger.receiveMessageBlocking(null, PATIENCE));
            }
            assertEquals(new Message<>("a request", "requests", true, false, 1.5),
                    messenger.receiveMessageBlocking("requests", PATIENCE));
            assertEquals(new Message<>("on a channel", "channel", false, true, Double.NEGATIVE_INFINITY),
                    messenger.receiveMessageBlocking("channel", PATIENCE));
            assertEquals(new Message<>(7L, 3, false, false, -2.0), messenger.receiveMessageBlocking(3, PATIENCE));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) messenger.receiveBlocking(PATIENCE));

            raw.write(Frames.error(new IllegalStateException("data must be positive")), Frames.close());
            assertEquals("data must be positive",
                    assertThrows(IllegalStateException.class, () -> messenger.receiveBlocking(PATIENCE)).getMessage());
            assertThrows(ResourceRequestedCloseException.class, () -> messenger.receiveBlocking(PATIENCE));
            raw.shutdownOutput();
            assertThrows(PipeClosedException.class, () -> messenger.receiveBlocking(PATIENCE));
        }
    }

    /** Valid frames: data of every shape on default and named channels, close requests, errors. */
    private static List<byte[]> corpus(String serializer) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(Frames.data(serializer, "hello"));
        frames.add(Frames.data(serializer, "héllo wörld, non-ASCII ✓"));
        frames.add(Frames.data(serializer, 42));
        frames.add(Frames.data(serializer, null));
        frames.add(Frames.data(serializer, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        frames.add(Frames.data(serializer, new ArrayList<>(List.of("a", "b", "c"))));
        frames.add(Frames.data(serializer, new java.util.HashMap<>(Map.of("k", 1, "l", 2))));
        frames.add(Frames.data(serializer, new Sample("sample", new int[] {1, 2, 3}, new ArrayList<>(List.of("x")),
                1.5), null, Wire.REQUEST, 1.5));
        frames.add(Frames.data(serializer, "on a channel", "channel", Wire.REPLY, Double.NaN));
        frames.add(Frames.data(serializer, 7L, 3, 0, -2.0));
        frames.add(Frames.close());
        frames.add(Frames.error(withFixedStack(new IllegalStateException("data must be positive",
                withFixedStack(new IOException("disk on fire"))))));
        return frames;
    }

    /**
     * Gives an exception of the corpus a stack trace of its own, so that the corpus, and the
     * streams each seed makes of it, are the same whichever thread and runner build it (the
     * mutation profile runs each test on a thread of its own).
     */
    private static <T extends Throwable> T withFixedStack(T error) {
        error.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("coproc.messenger.internal.FrameDecoderFuzzTest", "corpus", "FrameDecoderFuzzTest.java", 210),
            new StackTraceElement("org.junit.platform.commons.util.ReflectionUtils", "invokeMethod", "ReflectionUtils.java", 767)});
        return error;
    }

    private static byte[] mutate(Random random, List<byte[]> corpus, String serializer) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            return noise;
        }
        if (kind >= 8) {
            return hostilePayload(random, serializer);
        }
        byte[] stream = concat(random, corpus);
        switch (kind) {
            case 1: // bit flips
                for (int flips = 1 + random.nextInt(8); flips > 0 && stream.length > 0; flips--) {
                    int bit = random.nextInt(stream.length * 8);
                    stream[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                return stream;
            case 2: // truncation
                return Arrays.copyOf(stream, random.nextInt(stream.length + 1));
            case 3: // one frame's length prefix changed
                return withChangedLengthPrefix(random, stream);
            case 4: // bytes overwritten with random values
                for (int n = 1 + random.nextInt(6); n > 0; n--) {
                    stream[random.nextInt(stream.length)] = (byte) random.nextInt(256);
                }
                return stream;
            case 5: // bytes inserted or deleted
                return insertOrDelete(random, stream);
            case 6: // a run of values that make huge or negative lengths and counts
                return withInterestingRun(random, stream);
            default: // several of the above
                return Arrays.copyOf(withChangedLengthPrefix(random, insertOrDelete(random, stream)),
                        Math.max(0, stream.length - random.nextInt(8)));
        }
    }

    private static byte[] concat(Random random, List<byte[]> corpus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            out.writeBytes(corpus.get(random.nextInt(corpus.size())));
        }
        return out.toByteArray();
    }

    /** Changes the length prefix of the first frame: to noise, to a huge or negative value, or by a little. */
    private static byte[] withChangedLengthPrefix(Random random, byte[] stream) {
        if (stream.length < 4) {
            return stream;
        }
        ByteBuffer buffer = ByteBuffer.wrap(stream);
        int length = buffer.getInt(0);
        int changed;
        switch (random.nextInt(5)) {
            case 0 -> changed = random.nextInt();
            case 1 -> changed = Integer.MAX_VALUE - random.nextInt(100);
            case 2 -> changed = -1 - random.nextInt(100);
            case 3 -> changed = MessengerOptions.DEFAULT_MAX_FRAME_LENGTH + random.nextInt(3) - 1;
            default -> changed = length + random.nextInt(11) - 5;
        }
        buffer.putInt(0, changed);
        return stream;
    }

    /**
     * A well-framed data message whose payload starts like a real value (a Kryo class id of a
     * built-in or registered type, or a JDK serialization header and type code) and goes on with
     * bytes that make huge or negative lengths and counts: reaches the deserializers' allocations.
     */
    private static byte[] hostilePayload(Random random, String serializer) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        if (serializer.equals("kryo")) {
            // Class ids are written + 2: 3 is String, 12 to 20 the registered primitive and
            // String arrays, then any id (0 null, 1 class by name).
            int which = random.nextInt(4);
            payload.write(which < 2 ? 3 : which == 2 ? 12 + random.nextInt(9) : random.nextInt(32));
        } else {
            payload.writeBytes(new byte[] {(byte) 0xac, (byte) 0xed, 0x00, 0x05});
            payload.write(0x70 + random.nextInt(15)); // a type code: TC_NULL .. TC_ENUM
        }
        byte[] interesting = {(byte) 0xff, 0x7f, (byte) 0x80, 0x00, (byte) 0xfe, 0x01};
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
            payload.write(random.nextBoolean() ? 0xff : random.nextBoolean()
                    ? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
        }
        return Frames.dataWithPayloadBytes(payload.toByteArray());
    }

    /** Overwrites a few bytes past the first length prefix with 0xff, 0x7f, 0x80 or 0x00. */
    private static byte[] withInterestingRun(Random random, byte[] stream) {
        byte[] interesting = {(byte) 0xff, 0x7f, (byte) 0x80, 0x00};
        int at = Math.min(stream.length, 4 + random.nextInt(Math.max(1, stream.length - 4)));
        byte value = interesting[random.nextInt(interesting.length)];
        for (int n = 1 + random.nextInt(6); n > 0 && at < stream.length; n--, at++) {
            stream[at] = random.nextInt(4) == 0 ? interesting[random.nextInt(interesting.length)] : value;
        }
        return stream;
    }

    private static byte[] insertOrDelete(Random random, byte[] stream) {
        int at = random.nextInt(stream.length + 1);
        if (random.nextBoolean() || at == stream.length) {
            byte[] inserted = new byte[1 + random.nextInt(8)];
            random.nextBytes(inserted);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(stream, 0, at);
            out.writeBytes(inserted);
            out.write(stream, at, stream.length - at);
            return out.toByteArray();
        }
        int removed = Math.min(stream.length - at, 1 + random.nextInt(8));
        byte[] shorter = new byte[stream.length - removed];
        System.arraycopy(stream, 0, shorter, 0, at);
        System.arraycopy(stream, at + removed, shorter, at, stream.length - at - removed);
        return shorter;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 400); i++) {
            text.append(String.format("%02x", bytes[i]));
        }
        return text + (bytes.length > 400 ? "..." : "") + " (" + bytes.length + " bytes)";
    }
}
