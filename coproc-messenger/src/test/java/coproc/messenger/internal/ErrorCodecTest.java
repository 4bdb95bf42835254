package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.RemoteWorkerException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ErrorCodec}: what an exception sent with {@code sendError} looks like on the other
 * side, and the limits on deserializing it (the peer's bytes are not trusted).
 */
@Timeout(60)
class ErrorCodecTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Serializable, unchecked, and present on both sides: arrives as itself unless refused. */
    static final class Carrying extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** What the filter limits look at; serialized with the exception. */
        final Object payload;

        Carrying(String message, Object payload) {
            super(message);
            this.payload = payload;
        }
    }

    /** A checked exception: arrives as a {@link RemoteWorkerException} with it as the cause. */
    static final class Checked extends Exception {
        private static final long serialVersionUID = 1L;

        Checked(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Not serializable (its field is not): only its description crosses. */
    static final class Unserializable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings({"serial", "unused"})
        private final Object notSerializable = new Object();

        Unserializable(String message, Throwable cause) {
            super(message, cause);
        }

        /** Leaves the cause to {@link #initCause}. */
        Unserializable(String message) {
            super(message);
        }
    }

    private static Throwable roundTrip(Throwable error) throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        ErrorCodec.encode(error, out);
        return ErrorCodec.decode(out.array(), 0, out.size());
    }

    /** Encodes the error behind some unrelated bytes and decodes it from where it starts. */
    private static Throwable roundTripAtAnOffset(Throwable error) throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        out.write(new byte[] {7, 7, 7});
        ErrorCodec.encode(error, out);
        out.write(new byte[] {9, 9});
        return ErrorCodec.decode(out.array(), 3, out.size() - 5);
    }

    @Test
    void shouldReturnAnUncheckedExceptionAsItself() throws IOException {
        IllegalStateException sent = new IllegalStateException("bad state", new IOException("disk"));

        Throwable got = roundTripAtAnOffset(sent);

        IllegalStateException same = assertInstanceOf(IllegalStateException.class, got);
        assertEquals("bad state", same.getMessage());
        assertEquals("disk", assertInstanceOf(IOException.class, same.getCause()).getMessage());
        assertArrayEquals(sent.getStackTrace(), same.getStackTrace());
    }

    @Test
    void shouldWrapACheckedExceptionWithTheOriginalAsTheCause() throws IOException {
        Checked sent = new Checked("checked", null);

        RemoteWorkerException got = assertInstanceOf(RemoteWorkerException.class, roundTrip(sent));

        assertEquals(Checked.class.getName(), got.remoteClassName());
        assertEquals("checked", got.remoteMessage());
        assertSameFrames(sent.getStackTrace(), got.getStackTrace());
        assertEquals("checked", assertInstanceOf(Checked.class, got.getCause()).getMessage());
    }

    @Test
    void shouldDescribeAnExceptionThatDoesNotSerializeWithItsWholeCauseChain() throws IOException {
        Unserializable sent = new Unserializable("top", new Checked("middle", new IOException((String) null)));

        RemoteWorkerException got = assertInstanceOf(RemoteWorkerException.class, roundTrip(sent));

        assertEquals(Unserializable.class.getName(), got.remoteClassName());
        assertEquals("top", got.remoteMessage());
        assertSameFrames(sent.getStackTrace(), got.getStackTrace());
        RemoteWorkerException middle = assertInstanceOf(RemoteWorkerException.class, got.getCause());
        assertEquals(Checked.class.getName(), middle.remoteClassName());
        assertEquals("middle", middle.remoteMessage());
        RemoteWorkerException bottom = assertInstanceOf(RemoteWorkerException.class, middle.getCause());
        assertEquals(IOException.class.getName(), bottom.remoteClassName());
        assertNull(bottom.remoteMessage(), "a null message stays null");
        assertEquals(IOException.class.getName(), bottom.getMessage());
        assertNull(bottom.getCause());
    }

    @Test
    void shouldCarryAnEmptyStackTraceAndFramesWithoutFileOrLine() throws IOException {
        Unserializable sent = new Unserializable(null, null);
        sent.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("a.B", "run", null, -2),
            new StackTraceElement("c.D", "call", "D.java", 12)});
        Unserializable empty = new Unserializable("empty", null);
        empty.setStackTrace(new StackTraceElement[0]);

        RemoteWorkerException got = assertInstanceOf(RemoteWorkerException.class, roundTrip(sent));
        RemoteWorkerException gotEmpty = assertInstanceOf(RemoteWorkerException.class, roundTrip(empty));

        assertNull(got.remoteMessage());
        assertSameFrames(sent.getStackTrace(), got.getStackTrace());
        assertNull(got.getStackTrace()[0].getFileName());
        assertEquals(-2, got.getStackTrace()[0].getLineNumber());
        assertEquals(0, gotEmpty.getStackTrace().length);
        assertEquals("empty", gotEmpty.remoteMessage());
    }

    @Test
    void shouldKeepAnEmptyMessageAndAnEmptyFileNameEmptyNotNull() throws IOException {
        Unserializable sent = new Unserializable("", null);
        sent.setStackTrace(new StackTraceElement[] {new StackTraceElement("a.B", "run", "", 3)});

        RemoteWorkerException got = assertInstanceOf(RemoteWorkerException.class, roundTrip(sent));

        assertEquals("", got.remoteMessage());
        assertEquals("", got.getStackTrace()[0].getFileName());
    }

    @Test
    void shouldEndTheBodyAfterTheDescriptionWhenTheExceptionDoesNotSerialize() throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        out.write(new byte[] {7, 7, 7});

        Unserializable sent = new Unserializable("not serializable");
        sent.setStackTrace(new StackTraceElement[0]);

        ErrorCodec.encode(sent, out);

        // count, class name, message, stack depth, then the length -1 for "no serialized exception"
        int described = 4 + 4 + Unserializable.class.getName().length() + 4 + "not serializable".length() + 4;
        assertEquals(3 + described + 4, out.size(), "nothing of what serialization wrote before it failed");
        assertEquals(-1, ByteBuffer.wrap(out.array()).getInt(out.size() - 4));
    }

    @Test
    void shouldSendAtMost32CausesAndStopAtACycle() throws IOException {
        Unserializable head = chainOf(40);
        int described = 0;
        for (Throwable t = roundTrip(head); t != null; t = t.getCause()) {
            assertEquals("level " + described, assertInstanceOf(RemoteWorkerException.class, t).remoteMessage());
            described++;
        }
        assertEquals(32, described);

        Unserializable first = new Unserializable("first");
        Unserializable second = new Unserializable("second", first);
        first.initCause(second);
        RemoteWorkerException cycle = assertInstanceOf(RemoteWorkerException.class, roundTrip(first));
        assertEquals("second", ((RemoteWorkerException) cycle.getCause()).remoteMessage());
        assertNull(cycle.getCause().getCause(), "the cycle is cut where it closes");
    }

    @Test
    void shouldRefuseADescriptionOfMoreThan32CausesOrOfNone() throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        ErrorCodec.encode(new Unserializable("x", null), out);
        byte[] body = java.util.Arrays.copyOf(out.array(), out.size());

        for (int count : new int[] {0, 33, -1}) {
            ByteBuffer.wrap(body).putInt(0, count);
            IOException e = assertThrows(IOException.class, () -> ErrorCodec.decode(body, 0, body.length));
            assertEquals("bad cause count " + count, e.getMessage());
        }
        ByteBuffer.wrap(body).putInt(0, 1);
        assertEquals("x", ((RemoteWorkerException) ErrorCodec.decode(body, 0, body.length)).remoteMessage());
    }

    @Test
    void shouldAcceptADescriptionOfExactly32Causes() throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        ErrorCodec.encode(chainOf(32), out);

        int described = 0;
        for (Throwable t = ErrorCodec.decode(out.array(), 0, out.size()); t != null; t = t.getCause()) {
            described++;
        }
        assertEquals(32, described);
    }

    @Test
    void shouldRefuseAStackDepthOrAStringLengthLongerThanTheFrame() throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        Unserializable sent = new Unserializable("x", null);
        sent.setStackTrace(new StackTraceElement[] {new StackTraceElement("a.B", "run", "B.java", 1)});
        ErrorCodec.encode(sent, out);
        byte[] body = java.util.Arrays.copyOf(out.array(), out.size());
        // count, class name (length, bytes), message (length, bytes), then the stack depth
        String className = Unserializable.class.getName();
        int depthAt = 4 + 4 + className.length() + 4 + 1;

        byte[] deep = body.clone();
        ByteBuffer.wrap(deep).putInt(depthAt, body.length);
        assertEquals("bad stack depth " + body.length,
                assertThrows(IOException.class, () -> ErrorCodec.decode(deep, 0, deep.length)).getMessage());
        byte[] negative = body.clone();
        ByteBuffer.wrap(negative).putInt(depthAt, -1);
        assertEquals("bad stack depth -1",
                assertThrows(IOException.class, () -> ErrorCodec.decode(negative, 0, negative.length)).getMessage());
        byte[] longName = body.clone();
        ByteBuffer.wrap(longName).putInt(4, body.length);
        assertTrue(assertThrows(IOException.class, () -> ErrorCodec.decode(longName, 0, longName.length))
                .getMessage().startsWith("string length " + body.length + " exceeds the frame"));
        byte[] exact = body.clone();
        ByteBuffer.wrap(exact).putInt(4, body.length - 8);
        assertThrows(IOException.class, () -> ErrorCodec.decode(exact, 0, exact.length),
                "a string that takes the rest of the frame leaves nothing for what follows");
    }

    @Test
    void shouldUseTheDescriptionWhenTheSerializedExceptionIsCut() throws IOException {
        FrameBuffer out = new FrameBuffer(256);
        ErrorCodec.encode(new IllegalStateException("cut"), out);

        Throwable got = ErrorCodec.decode(out.array(), 0, out.size() - 1);

        RemoteWorkerException described = assertInstanceOf(RemoteWorkerException.class, got);
        assertEquals(IllegalStateException.class.getName(), described.remoteClassName());
        assertEquals("cut", described.remoteMessage());
    }

    // --- the deserialization filter: maxdepth=64, maxarray=100000, maxrefs=100000 ---

    @Test
    void shouldRefuseAnExceptionGraphDeeperThanTheLimitAndStayUsable() throws Exception {
        Object nested = "bottom";
        for (int depth = 0; depth < 100; depth++) {
            nested = new Object[] {nested};
        }
        assertRefusedOverThePipe(new Carrying("too deep", nested));
    }

    @Test
    void shouldRefuseAnExceptionCarryingAnArrayLargerThanTheLimitAndStayUsable() throws Exception {
        assertRefusedOverThePipe(new Carrying("too large", new byte[100_001]));
    }

    @Test
    void shouldRefuseAnExceptionGraphWithMoreReferencesThanTheLimitAndStayUsable() throws Exception {
        List<Object[]> halves = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            Object[] objects = new Object[60_000];
            for (int i = 0; i < objects.length; i++) {
                objects[i] = new int[0];
            }
            halves.add(objects);
        }
        assertRefusedOverThePipe(new Carrying("too many references", halves.toArray()));
    }

    @Test
    void shouldAcceptAnExceptionGraphWithinTheLimits() throws Exception {
        Object nested = "bottom";
        for (int depth = 0; depth < 20; depth++) {
            nested = new Object[] {nested};
        }
        Carrying sent = new Carrying("within", new Object[] {nested, new byte[100_000]});
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendError(sent);

            Carrying got = assertThrows(Carrying.class, () -> pair.worker().receiveBlocking(PATIENCE));
            assertEquals("within", got.getMessage());
            assertEquals(100_000, ((byte[]) ((Object[]) got.payload)[1]).length);
        }
    }

    /**
     * Sends the exception from one messenger to the other: the receiver refuses to deserialize
     * it (else it would throw the exception itself, which is unchecked and present here) and
     * throws a {@link RemoteWorkerException} built from its description, naming its class and
     * message; then the pipe carries the next message as before.
     */
    private static void assertRefusedOverThePipe(Carrying sent) throws Exception {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendError(sent);

            RemoteWorkerException got = assertThrows(RemoteWorkerException.class,
                    () -> pair.worker().receiveBlocking(PATIENCE));
            assertEquals(Carrying.class.getName(), got.remoteClassName());
            assertEquals(sent.getMessage(), got.remoteMessage());
            assertEquals(Carrying.class.getName() + ": " + sent.getMessage(), got.getMessage());
            assertSameFrames(sent.getStackTrace(), got.getStackTrace());
            assertNull(got.getCause(), "the refused object is not the cause");

            pair.host().sendNoRequest("after");
            assertEquals("after", pair.worker().receiveBlocking(PATIENCE));
            assertTrue(!pair.worker().isClosed() && !pair.host().isClosed());
        }
    }

    /**
     * The frames of a description: class, method, file and line travel; the class loader and
     * module names of a frame do not.
     */
    private static void assertSameFrames(StackTraceElement[] expected, StackTraceElement[] actual) {
        assertEquals(expected.length, actual.length, "stack depth");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].getClassName(), actual[i].getClassName());
            assertEquals(expected[i].getMethodName(), actual[i].getMethodName());
            assertEquals(expected[i].getFileName(), actual[i].getFileName());
            assertEquals(expected[i].getLineNumber(), actual[i].getLineNumber());
        }
    }

    private static Unserializable chainOf(int length) {
        Unserializable cause = null;
        for (int level = length - 1; level >= 0; level--) {
            cause = new Unserializable("level " + level, cause);
        }
        return cause;
    }
}
