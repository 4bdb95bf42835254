package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.api.PipeClosedException;
import coproc.api.SerializationException;
import coproc.messenger.PriorityMessenger;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Kryo serializer: its advice for classes it may not access, and the reuse of its Kryo instances. */
class KryoSerializerTest {

    /** A public record in a package that the module neither exports nor opens to Kryo. */
    public record Hidden(int value) {
    }

    /**
     * Module path only: there Kryo may not reach into a package the module does not open. On
     * the class path nothing is encapsulated, and the next test shows the record arrives.
     */
    @Test
    void shouldNameTheOpensLineForARecordInAPackageThatIsNotExported() throws Exception {
        assumeTrue(Hidden.class.getModule().isNamed(), "on the class path Kryo reaches every class");
        try (var pair = PriorityMessenger.newPair()) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(new Hidden(1)));
            assertThat(e.getMessage(), allOf(containsString(Hidden.class.getName()),
                    containsString("add 'opens coproc.messenger.internal to com.esotericsoftware.kryo;' to module"
                            + " coproc.messenger's module-info.java")));

            pair.host().sendNoRequest("still usable");
            assertEquals("still usable", pair.worker().receiveBlocking(Duration.ofSeconds(10)));
        }
    }

    /** The class-path side of the test above: nothing is encapsulated, so the record arrives. */
    @Test
    @Tag("class-path")
    void shouldCarryARecordOfAPackageThatIsNotExportedWhenOnTheClassPath() throws Exception {
        assumeFalse(Hidden.class.getModule().isNamed(), "on the module path the package is encapsulated");
        try (var pair = PriorityMessenger.newPair()) {
            pair.host().sendNoRequest(new Hidden(1));
            assertEquals(new Hidden(1), pair.worker().receiveBlocking(Duration.ofSeconds(10)));
        }
    }

    @Test
    void shouldGuardKryosOwnSerializerOfEachArrayAndWriteItsClassByNameAsKryosLookupWould() {
        com.esotericsoftware.kryo.Kryo plain = new com.esotericsoftware.kryo.Kryo();
        plain.setRegistrationRequired(false); // Kryo's default serializers, looked up
        com.esotericsoftware.kryo.Kryo ours = new KryoSerializer().kryo();
        for (Class<?> array : KryoSerializer.ARRAYS) {
            var registration = ours.getRegistration(array);
            assertEquals(plain.getRegistration(array).getId(), registration.getId(), array.getSimpleName() + "'s id");
            var guard = assertInstanceOf(KryoBounds.LengthGuard.class, registration.getSerializer(), array.getSimpleName());
            assertEquals(plain.getSerializer(array).getClass(), guard.delegate().getClass(), array.getSimpleName());
        }
    }

    @Test
    void shouldTurnKryosUnsafeOffOnlyWhereTheJdkWarnsOfItAndTheUserHasNotChosen() {
        assertEquals(false, KryoSerializer.turnOffKryoUnsafe(17, null));
        assertEquals(false, KryoSerializer.turnOffKryoUnsafe(23, null));
        assertEquals(true, KryoSerializer.turnOffKryoUnsafe(24, null));
        assertEquals(true, KryoSerializer.turnOffKryoUnsafe(25, null));
        assertEquals(false, KryoSerializer.turnOffKryoUnsafe(25, "true"));
        assertEquals(false, KryoSerializer.turnOffKryoUnsafe(25, "false"));
    }

    @Test
    void shouldHaveSetKryosUnsafeSwitchAsDecidedWhenItsSerializerWasFirstUsed() {
        try (var pair = PriorityMessenger.newPair()) {
            pair.host().sendNoRequest("hello");
            assertEquals("hello", pair.worker().receiveBlocking(Duration.ofSeconds(20)).toString());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        boolean off = Runtime.version().feature() >= 24;
        assertEquals(off ? "false" : null, System.getProperty(KryoSerializer.KRYO_UNSAFE));
        if (off) {
            assertEquals(false, com.esotericsoftware.kryo.util.Util.unsafe, "Kryo read the switch");
        }
    }

    private static Object roundTrip(KryoSerializer writer, KryoSerializer reader, Object value) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        writer.serialize(value, bytes);
        return reader.deserialize(new java.io.ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void shouldGiveAClosedPipesKryoInstancesToTheNextSerializersAndWorkAsNewOnes() throws Exception {
        KryoSerializer writer = new KryoSerializer();
        KryoSerializer reader = new KryoSerializer();
        var first = new java.util.TreeMap<>(java.util.Map.of("a", java.time.Duration.ofSeconds(1)));
        assertEquals(first, roundTrip(writer, reader, first));
        var used = java.util.Set.of(writer.kryo(), reader.kryo());
        assertTrue(writer.recycle(), "the writer's Kryo went to the pool");
        assertTrue(reader.recycle(), "the reader's Kryo went to the pool");
        java.util.List<KryoSerializer> next = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) { // the pool holds at most 8, handed out in the order they came
            next.add(new KryoSerializer());
        }
        java.util.List<KryoSerializer> reused = next.stream().filter(s -> used.contains(s.kryo())).toList();
        assertEquals(2, reused.size(), "both instances were taken again");
        // Each the other way round now, with a class the first round met and one it did not.
        var second = java.util.List.of(new java.util.TreeMap<>(java.util.Map.of("b", java.time.Duration.ofSeconds(2))),
                java.time.LocalDate.of(2026, 12, 1), 3L);
        assertEquals(second, roundTrip(reused.get(1), reused.get(0), second));
        assertEquals(first, roundTrip(reused.get(0), reused.get(1), first));
    }

    @Test
    void shouldDropAKryoWhoseUseFailedTakeAnotherAndNeverPoolTheFailedOne() throws Exception {
        Runnable lambda = () -> { };
        KryoSerializer writer = new KryoSerializer();
        var failedWriting = writer.kryo();
        assertThrows(IllegalArgumentException.class, () -> writer.serialize(lambda, new java.io.ByteArrayOutputStream()));
        assertNull(writer.kryo(), "dropped: a failed write may leave Kryo's generic-type stacks behind");
        assertFalse(writer.recycle(), "nothing to give back");

        KryoSerializer reader = new KryoSerializer();
        var failedReading = reader.kryo();
        assertThrows(RuntimeException.class, () -> reader.deserialize(new java.io.ByteArrayInputStream(new byte[] {99, 1, 2})));
        assertNull(reader.kryo());
        assertEquals("fine", roundTrip(new KryoSerializer(), reader, "fine"));
        assertNotSame(failedReading, reader.kryo(), "the next use took another");
        assertTrue(reader.recycle(), "one whose use ended well goes back");

        for (int i = 0; i < 10; i++) { // the pool holds at most 8
            var taken = new KryoSerializer().kryo();
            assertNotSame(failedWriting, taken);
            assertNotSame(failedReading, taken);
        }
    }

    @Test
    void shouldThrowPipeClosedOnAUseAfterItsKryoWasGivenBack() {
        KryoSerializer serializer = new KryoSerializer();
        assertTrue(serializer.recycle());
        assertFalse(serializer.recycle(), "given back once only");
        assertThrows(PipeClosedException.class, () -> serializer.serialize("late", new java.io.ByteArrayOutputStream()));
        assertThrows(PipeClosedException.class,
                () -> serializer.deserialize(new java.io.ByteArrayInputStream(new byte[1])));
        assertNull(serializer.kryo());
    }

    @Test
    void shouldLetASendOrReceiveRacingWithCloseMeetAClosedPipeRatherThanABadValue() throws Exception {
        KryoSerializer writer = new KryoSerializer();
        KryoSerializer reader = new KryoSerializer();
        DataFrameCodec codec = new DataFrameCodec("kryo", writer, reader);
        FrameBuffer frame = new FrameBuffer(64);
        frame.write(FrameKind.DATA.code());
        codec.encode(frame, "sent before the close", "jobs", MessageKind.PLAIN, Double.NaN);
        writer.recycle();
        reader.recycle();

        assertThrows(PipeClosedException.class,
                () -> codec.encode(new FrameBuffer(64), "sent as it closed", null, MessageKind.PLAIN, Double.NaN),
                "not a SerializationException: the payload is fine");
        assertThrows(PipeClosedException.class, () -> new FrameDecoder(codec).decode(frame.array(), 0, frame.size()),
                "not a message dropped and reported to the other side: it is fine");
    }

    @Test
    void shouldGiveBackAPipesSerializersWhenItIsClosedAndNotBefore() {
        Pipe[] pair = PipeConnector.openPair(coproc.messenger.MessengerOptions.defaults());
        try {
            KryoSerializer[] serializers = java.util.Arrays.stream(pair[0].serializers())
                    .map(KryoSerializer.class::cast).toArray(KryoSerializer[]::new);
            pair[1].close(); // the other end's going away keeps this end's serializers
            assertTrue(java.util.Arrays.stream(serializers).allMatch(s -> s.kryo() != null));
            pair[0].close();
            assertTrue(java.util.Arrays.stream(serializers).allMatch(s -> s.kryo() == null));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
}
