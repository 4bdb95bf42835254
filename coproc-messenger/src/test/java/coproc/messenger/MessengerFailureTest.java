package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import coproc.api.SerializationException;
import coproc.api.MessageRejectedException;
import coproc.api.WorkerDiedException;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.PipeConnector;
import coproc.messenger.TestPayloads.DataMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input gets a clear error and loses nothing: a frame too long to send, a payload or
 * channel that does not serialize, a NaN priority, an unknown serializer, a closed messenger,
 * and the other side going away.
 */
@Timeout(30)
class MessengerFailureTest {

    /**
     * A plain class with private fields, in a package that is not open to Kryo: Kryo cannot
     * reach its fields, and it is not {@link java.io.Serializable} either.
     */
    static final class Opaque {
        private final String name;
        private int count;

        Opaque(String name, int count) {
            this.name = name;
            this.count = count;
        }

        @Override
        public String toString() {
            return name + count;
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRefuseAFrameTooLongAtSendCountNothingAndStayUsable(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer).withMaxFrameLength(1024))) {
            Messenger host = pair.host();
            FrameTooLongException e = assertThrows(FrameTooLongException.class,
                    () -> host.sendRequest(new byte[2048]));
            assertThat(e.getMessage(), allOf(startsWith("Frame length " + e.length() + " exceeds maxFrameLength 1024"),
                    containsString("nothing was sent; the messenger stays usable")));
            assertThat(e.length(), greaterThan(2048L));
            assertEquals(1024, e.maxFrameLength());
            assertEquals(0, host.requestsSent(null));
            assertEquals(0, host.messagesSent(null));
            assertEquals(0, host.remaining());

            host.sendRequest("small");
            assertEquals("small", pair.worker().receiveBlocking());
            assertFalse(pair.worker().awaitAvailable(Duration.ofMillis(100)), "nothing else was sent");
            assertEquals(1, host.remaining());
        }
    }

    /**
     * Module path only: there Kryo may not reach into a package the module does not open. On
     * the class path nothing is encapsulated, and the next test shows the same payload arrives.
     */
    @Test
    void shouldFailAtSendWhenKryoCannotReachAClassNamingItAndTheOpensLineAndStayUsable() {
        assumeTrue(Opaque.class.getModule().isNamed(), "on the class path Kryo reaches every class");
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            Messenger host = pair.host();
            SerializationException e = assertThrows(SerializationException.class,
                    () -> host.sendRequest(new Opaque("x", 1), "c"));
            assertThat(e.getMessage(), allOf(containsString(Opaque.class.getName()),
                    containsString("opens coproc.messenger to com.esotericsoftware.kryo"),
                    containsString("nothing was sent")));
            assertEquals(0, host.requestsSent("c"), "nothing is counted");
            assertEquals(0, host.messagesSent("c"));

            host.sendRequest("fine", "c");
            assertEquals("fine", pair.worker().receiveBlocking("c"));
            assertFalse(pair.worker().awaitAvailable(Duration.ofMillis(100)), "nothing of the failed send arrived");
        }
    }

    /**
     * The class-path side of the test above: nothing is encapsulated, so Kryo gets as far as
     * creating the class, which has no no-arg constructor; the send fails as clearly, and the
     * messenger stays usable.
     */
    @Test
    @Tag("class-path")
    void shouldFailAtSendWhenKryoCannotCreateAClassOnTheClassPathNamingItAndStayUsable() {
        assumeFalse(Opaque.class.getModule().isNamed(), "on the module path the package is encapsulated");
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            Messenger host = pair.host();
            SerializationException e = assertThrows(SerializationException.class,
                    () -> host.sendRequest(new Opaque("x", 1), "c"));
            assertThat(e.getMessage(), allOf(containsString(Opaque.class.getName()),
                    containsString("it has no no-arg constructor"), containsString("nothing was sent")));
            assertEquals(0, host.requestsSent("c"), "nothing is counted");

            host.sendRequest("fine", "c");
            assertEquals("fine", pair.worker().receiveBlocking("c"));
        }
    }

    @Test
    void shouldFailAtSendWhenTheJavaSerializerMeetsANonSerializablePayloadAndStayUsable() {
        try (var pair = PriorityMessenger.newPair(options("java"))) {
            Messenger host = pair.host();
            SerializationException e = assertThrows(SerializationException.class,
                    () -> host.sendNoRequest(new Opaque("x", 1)));
            assertThat(e.getMessage(), allOf(containsString(Opaque.class.getName()),
                    containsString("does not implement java.io.Serializable"),
                    containsString("with the 'java' serializer; nothing was sent")));
            assertEquals(0, host.messagesSent(null));

            host.sendNoRequest("fine");
            assertEquals("fine", pair.worker().receiveBlocking());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldFailAtSendWhenTheChannelDoesNotSerializeAndStayUsable(String serializer) {
        try (var pair = MultiMessenger.newPair(options(serializer))) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest("payload", new Opaque("channel", 2)));
            assertThat(e.getMessage(), allOf(containsString("Cannot send the channel (" + Opaque.class.getName()),
                    containsString("nothing was sent")));

            pair.host().sendNoRequest("fine");
            assertEquals("fine", pair.worker().receiveBlocking());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldSendTheElementsBeforeABadOneInSendRequestMultiple(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            List<Object> items = Arrays.asList("first", "second", new Opaque("bad", 3), "never sent");
            assertThrows(SerializationException.class, () -> pair.host().sendRequestMultiple(items));
            assertEquals(2, pair.host().remaining());

            await().atMost(PATIENCE).until(() -> pair.worker().available() == 2);
            assertEquals(List.of("first", "second"), pair.worker().receiveAvailable());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRefuseANanPriorityAndSendNothing(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pair.host().sendRequest(new DataMessage(1, Double.NaN)));
            assertThat(e.getMessage(), allOf(containsString("Priority of " + DataMessage.class.getName() + " is NaN"),
                    containsString("Nothing was sent")));
            assertEquals(0, pair.host().remaining());
            assertEquals(0, pair.host().messagesSent(null));

            pair.host().sendNoRequest(new DataMessage(2, 1));
            assertEquals(new DataMessage(2, 1), pair.worker().receiveBlocking());
        }
    }

    @Test
    void shouldFailAtOnceOnAnUnknownSerializerListingTheAvailableNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessengerOptions.defaults().withSerializer("kryo5"));
        assertEquals("No SerializerProvider named 'kryo5'. Available: [java, kryo]. Fix the name or add a module"
                + " that provides coproc.api.spi.SerializerProvider.", e.getMessage());
        // Names are exact.
        assertThrows(IllegalArgumentException.class, () -> MessengerOptions.defaults().withSerializer("Kryo"));
        assertEquals("java", MessengerOptions.defaults().withSerializer("java").serializer());
    }

    @Test
    void shouldRefuseBadOptionsNamingTheBadValue() {
        MessengerOptions defaults = MessengerOptions.defaults();
        assertEquals("serializer name must not be blank: ' '",
                assertThrows(IllegalArgumentException.class, () -> defaults.withSerializer(" ")).getMessage());
        assertEquals("maxFrameLength must be between 1024 and " + MessengerOptions.MAX_MAX_FRAME_LENGTH + ": 1023",
                assertThrows(IllegalArgumentException.class, () -> defaults.withMaxFrameLength(1023)).getMessage());
        assertEquals("handshakeTimeout must be positive: PT0S", assertThrows(IllegalArgumentException.class,
                () -> defaults.withHandshakeTimeout(Duration.ZERO)).getMessage());
        assertEquals("secret must be at most 1024 bytes: 1025", assertThrows(IllegalArgumentException.class,
                () -> defaults.withSecret(new byte[1025])).getMessage());
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowPipeClosedFromEveryCallAfterClose(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            pair.host().sendNoRequest("never received");
            worker.close();
            worker.close(); // idempotent

            assertTrue(worker.isClosed());
            String closed = "This messenger is closed; it can neither send nor receive";
            assertEquals(closed, assertThrows(PipeClosedException.class, worker::receiveBlocking).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class,
                    () -> worker.receiveBlocking(PATIENCE)).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class, worker::available).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class, worker::receiveAvailable).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class, worker::awaitAvailable).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class,
                    () -> worker.sendNoRequest("x")).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class, worker::sendCloseRequest).getMessage());
            assertEquals(closed, assertThrows(PipeClosedException.class,
                    () -> worker.sendError(new IllegalStateException())).getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReturnEverythingQueuedThenThrowPipeClosedWhenTheOtherSideCloses(MessengerKind kind,
            String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            pair.host().sendNoRequest("a");
            pair.host().sendNoRequest("b");
            pair.host().sendNoRequest("c", "other");
            pair.host().close();

            assertEquals("a", worker.receiveBlocking());
            assertEquals("b", worker.receiveBlocking());
            PipeClosedException e = assertThrows(PipeClosedException.class, worker::receiveBlocking);
            assertEquals("The other side closed the pipe", e.getMessage());
            // Again, without hanging, on every kind of receive; the other channel still gives its message.
            assertThrows(PipeClosedException.class, worker::receiveBlocking);
            assertThrows(PipeClosedException.class, () -> worker.receiveBlocking(PATIENCE));
            assertThrows(PipeClosedException.class, worker::available);
            assertThrows(PipeClosedException.class, worker::awaitAvailable);
            assertEquals(List.of("c"), worker.receiveAvailable("other"));
            assertThrows(PipeClosedException.class, () -> worker.receiveAvailable("other"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowFromAwaitAvailableWhenOnlyTheEndOfTheStreamArrives(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            pair.host().close();
            assertThrows(PipeClosedException.class, () -> worker.awaitAvailable(PATIENCE));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowThePeerLossExceptionAfterEverythingQueued(MessengerKind kind, String serializer) {
        Pipe[] pipes = PipeConnector.openPair(options(serializer), () -> new WorkerDiedException(137, "last words"));
        MessengerAccess.Bridge bridge = MessengerAccess.bridge();
        try (var pair = new MessengerPair<>(bridge.create(kind, pipes[0]), bridge.create(kind, pipes[1]))) {
            pair.host().sendNoRequest("sent before dying");
            pair.host().close();

            assertEquals("sent before dying", pair.worker().receiveBlocking());
            WorkerDiedException e = assertThrows(WorkerDiedException.class, () -> pair.worker().receiveBlocking());
            assertEquals(137, e.exitCode().orElseThrow());
            assertThat(e.getMessage(), allOf(containsString("The worker died with exit code 137 (killed by signal 9)"),
                    containsString("last words")));
            assertThrows(WorkerDiedException.class, () -> pair.worker().receiveBlocking(PATIENCE));
        }
    }

    /** A list nested {@code depth} deep. */
    private static List<Object> nested(int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(list);
            list = outer;
        }
        return list;
    }

    @Test
    void shouldRefuseAnObjectGraphDeeperThanKryosLimitAtSendAndStayUsable() {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(nested(2000)));
            assertThat(e.getMessage(), allOf(containsString("Cannot send the payload (java.util.ArrayList)"),
                    containsString("Max depth exceeded")));

            pair.host().sendNoRequest(nested(10));
            assertEquals(nested(10), pair.worker().receiveBlocking());
        }
    }

    @Test
    void shouldDropAnObjectGraphDeeperThanTheJavaFilterAtReceiveAndTellTheSender() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("java"))) {
            // JDK serialization writes it; the receiving side's filter (depth 256) refuses it.
            pair.host().sendNoRequest(nested(300));
            pair.host().sendNoRequest("next");

            assertEquals("next", pair.worker().receiveBlocking(PATIENCE), "the receiver drops it and goes on");
            MessageRejectedException e = assertThrows(MessageRejectedException.class,
                    () -> pair.host().receiveBlocking(PATIENCE));
            assertThat(e.getMessage(), allOf(containsString("did not decode with the 'java' serializer"),
                    containsString("REJECTED")));
            pair.worker().sendNoRequest("still talking");
            assertEquals("still talking", pair.host().receiveBlocking(PATIENCE), "the sender stays usable too");
        }
    }

    @Test
    void shouldFailASendOnceTheOtherSideHasGone() {
        try (var pair = PriorityMessenger.newPair()) {
            pair.host().close();
            PipeClosedException e = await().atMost(PATIENCE).until(() -> {
                try {
                    pair.worker().sendNoRequest("into the void");
                    return null;
                } catch (PipeClosedException closed) {
                    return closed;
                }
            }, closed -> closed != null);
            assertEquals("The other side closed the pipe", e.getMessage());
            assertFalse(pair.worker().isClosed(), "this side was not closed by the user");
        }
    }

    /** A linked chain, deep enough to overflow the stack of JDK serialization. */
    static final class Chain implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        final Chain next;

        Chain(Chain next) {
            this.next = next;
        }
    }

    @Test
    void shouldSendNothingOfAPayloadWhoseSerializationOverflowsTheStack() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("java"))) {
            Chain deep = null;
            for (int i = 0; i < 200_000; i++) {
                deep = new Chain(deep);
            }
            Chain tooDeep = deep;
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(tooDeep));
            assertThat(e.getMessage(), containsString(Chain.class.getName()));

            pair.host().sendNoRequest("after");
            assertEquals("after", pair.worker().receiveBlocking(PATIENCE), "nothing of the failed frame was sent");
        }
    }

    /**
     * A pipe's reader and flusher run on pooled threads, which bear the pipe's thread names
     * while they serve it ({@code coproc-reader-N}, {@code coproc-flusher-N}) and go back to
     * the pool, renamed, when the pipe ends: the names are what ends.
     */
    @Test
    void shouldEndThePipeThreadsOnceTheOtherSideHasGone() {
        java.util.Set<String> before = pipeThreadNames();
        var pair = PriorityMessenger.newPair();
        // A rejection notice is always sent by the flusher: the worker's flusher starts.
        coproc.messenger.internal.MessengerAccess.bridge().pipe(pair.worker()).reject("a test's notice");
        assertThrows(coproc.api.MessageRejectedException.class, () -> pair.host().receiveBlocking(PATIENCE));
        java.util.Set<String> pairs = new java.util.HashSet<>(pipeThreadNames());
        pairs.removeAll(before);
        assertTrue(pairs.stream().filter(name -> name.startsWith("coproc-reader-")).count() == 2,
                "the pair's two reader threads: " + pairs);
        assertTrue(pairs.stream().anyMatch(name -> name.startsWith("coproc-flusher-")),
                "the worker's flusher thread: " + pairs);

        pair.host().close(); // the worker side is never closed: it sees the end of the stream
        await().atMost(PATIENCE).until(() -> java.util.Collections.disjoint(pipeThreadNames(), pairs));
        assertThrows(PipeClosedException.class, () -> pair.worker().receiveBlocking(PATIENCE));
    }

    /** The names of the live reader and flusher threads of this JVM's pipes. */
    private static java.util.Set<String> pipeThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("coproc-reader-") || name.startsWith("coproc-flusher-"))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void shouldDeliverEveryFrameOfABurstSentJustBeforeClose() throws Exception {
        for (int round = 0; round < 300; round++) {
            try (var pair = MultiMessenger.newPair()) {
                for (int i = 0; i < 20; i++) {
                    pair.host().sendNoRequest(i); // a burst: the flusher writes most of it
                }
                pair.host().close(); // must not close the socket under the flusher's write
                for (int i = 0; i < 20; i++) {
                    assertEquals(i, (int) pair.worker().receiveBlocking(PATIENCE), "round " + round);
                }
                assertThrows(PipeClosedException.class, () -> pair.worker().receiveBlocking(PATIENCE));
            }
        }
    }
}
