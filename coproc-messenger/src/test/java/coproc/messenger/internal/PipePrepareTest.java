package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.spi.Serializer;
import coproc.messenger.MessengerOptions;
import coproc.messenger.MessengerPair;
import coproc.messenger.MultiMessenger;
import coproc.messenger.PipeMessenger;
import coproc.messenger.TestPayloads.DataMessage;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Pipe#prepare}: the serializers it makes go to the next pipe opened with that
 * serializer name, and to that pipe only; a pipe that opens meanwhile waits for them. Which
 * serializers a pipe got is read from its private fields, the only place it shows.
 */
@Timeout(30)
class PipePrepareTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final List<Object> PAYLOADS = List.of(42, "text", new DataMessage(7), List.of("a", "b", "c"));

    /** Forgets what a test prepared and no pipe took, so that no test depends on another. */
    @AfterEach
    void forgetPrepared() throws ReflectiveOperationException {
        prepared().clear();
    }

    @Test
    void shouldGiveTheKryoSerializersItPreparedToTheNextPairThatExchangesMessagesBothWays() throws Exception {
        Pipe.prepare("kryo");
        Serializer[] made = prepared().get("kryo").get(0, TimeUnit.SECONDS); // made on this thread: done

        try (var pair = MultiMessenger.newPair()) {
            assertFalse(prepared().containsKey("kryo"), "the pair took the prepared serializers");
            assertUsedByOneEnd(made, pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldRefuseToPrepareAnUnknownSerializerNamingTheAvailableOnes() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pipe.prepare("no-such"));

        assertThat(e.getMessage(), allOf(containsString("No SerializerProvider named 'no-such'"),
                containsString("Available: [java, kryo]")));
        assertFalse(prepared().containsKey("no-such"), "nothing is left prepared");
        try (var pair = MultiMessenger.newPair()) {
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldGiveTheJavaSerializersItPreparedToTheNextJavaPair() throws Exception {
        Pipe.prepare("java");
        Serializer[] made = prepared().get("java").get(0, TimeUnit.SECONDS);

        try (var pair = MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("java"))) {
            assertFalse(prepared().containsKey("java"));
            assertUsedByOneEnd(made, pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldLeaveTheKryoPreparationToAKryoPipe() throws Exception {
        Pipe.prepare("kryo");
        Serializer[] made = prepared().get("kryo").get(0, TimeUnit.SECONDS);

        try (var javaPair = MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("java"))) {
            assertExchangesBothWays(javaPair);
            assertTrue(prepared().containsKey("kryo"), "a java pipe does not take kryo serializers");
        }
        try (var kryoPair = MultiMessenger.newPair()) {
            assertUsedByOneEnd(made, kryoPair);
        }
    }

    @Test
    void shouldGiveEveryPairOpenedWhilePreparingWorkingSerializersOfItsOwn() throws Exception {
        int openers = 4;
        int pairsEach = 2;
        int preparations = 8;
        CyclicBarrier start = new CyclicBarrier(openers + 1);
        ExecutorService threads = Executors.newFixedThreadPool(openers + 1);
        List<MessengerPair<MultiMessenger>> pairs = Collections.synchronizedList(new ArrayList<>());
        try {
            Future<?> preparing = threads.submit(() -> {
                start.await();
                for (int i = 0; i < preparations; i++) {
                    Pipe.prepare("kryo");
                }
                return null;
            });
            List<Future<?>> opening = new ArrayList<>();
            for (int t = 0; t < openers; t++) {
                opening.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < pairsEach; i++) {
                        var pair = MultiMessenger.newPair();
                        pairs.add(pair);
                        assertExchangesBothWays(pair);
                    }
                    return null;
                }));
            }
            preparing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            for (Future<?> future : opening) {
                future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }

            assertEquals(openers * pairsEach, pairs.size());
            Set<Serializer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            for (var pair : pairs) {
                for (PipeMessenger end : List.of(pair.worker(), pair.host())) {
                    for (Serializer serializer : serializersOf(end)) {
                        assertNotNull(serializer, "every pipe has both serializers");
                        distinct.add(serializer);
                    }
                }
            }
            assertEquals(openers * pairsEach * 2 * 2, distinct.size(), "no two pipes share a serializer");
        } finally {
            threads.shutdownNow();
            pairs.forEach(MessengerPair::close);
        }
    }

    /** Sends every payload each way, on the default channel and on a named one, and checks what arrives. */
    private static void assertExchangesBothWays(MessengerPair<? extends PipeMessenger> pair) throws Exception {
        assertDelivers(pair.host(), pair.worker());
        assertDelivers(pair.worker(), pair.host());
    }

    private static void assertDelivers(Messenger from, Messenger to) throws Exception {
        for (Object payload : PAYLOADS) {
            from.sendNoRequest(payload);
            from.sendNoRequest(payload, "named");
        }
        for (Object payload : PAYLOADS) {
            assertEquals(payload, to.receiveBlocking(PATIENCE));
            assertEquals(payload, to.receiveBlocking("named", PATIENCE));
        }
    }

    /** Checks that one end of the pair writes and reads with exactly the prepared serializers. */
    private static void assertUsedByOneEnd(Serializer[] made, MessengerPair<? extends PipeMessenger> pair)
            throws ReflectiveOperationException {
        Serializer[] worker = serializersOf(pair.worker());
        Serializer[] host = serializersOf(pair.host());
        Serializer[] user = worker[0] == made[0] ? worker : host;
        assertSame(made[0], user[0], "the prepared writer is one end's writer");
        assertSame(made[1], user[1], "the prepared reader is the same end's reader");
        Serializer[] other = user == worker ? host : worker;
        assertFalse(other[0] == made[0] || other[0] == made[1] || other[1] == made[0] || other[1] == made[1],
                "the other end has serializers of its own");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Future<Serializer[]>> prepared() throws ReflectiveOperationException {
        return (Map<String, Future<Serializer[]>>) field(Pipe.class, "PREPARED").get(null);
    }

    /** The writer and the reader of a messenger's pipe. */
    private static Serializer[] serializersOf(PipeMessenger messenger) throws ReflectiveOperationException {
        Object pipe = field(PipeMessenger.class, "pipe").get(messenger);
        return new Serializer[] {(Serializer) field(Pipe.class, "writer").get(pipe),
                (Serializer) field(Pipe.class, "reader").get(pipe)};
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
