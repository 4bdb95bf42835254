package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.api.SerializationException;
import coproc.messenger.PriorityMessenger;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Kryo serializer's advice for classes it may not access. */
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
}
