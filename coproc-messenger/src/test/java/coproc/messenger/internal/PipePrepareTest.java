package coproc.messenger.internal;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.spi.Serializer;
import coproc.messenger.MessengerOptions;
import coproc.messenger.MessengerPair;
import coproc.messenger.MultiMessenger;
import coproc.messenger.PipeMessenger;
import coproc.messenger.TestPayloads.DataMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PreparedSerializers#prepare}: it registers the making of serializers for the next pipe
 * opened with that serializer name, and that pipe only, and returns the task that makes them.
 * A pipe that opens before the task has run runs it itself; one that opens while it runs
 * waits for it; one whose task failed makes its own. What is registered, and which serializers a pipe got,
 * are read through package-private seams.
 */
@Timeout(30)
class PipePrepareTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final List<Object> PAYLOADS = List.of(42, "text", new DataMessage(7), List.of("a", "b", "c"));

    /** Forgets what a test prepared and no pipe took, so that no test depends on another. */
    @AfterEach
    void forgetPrepared() {
        PreparedSerializers.forget();
    }

    @Test
    void shouldGiveTheKryoSerializersMadeOnAnotherThreadToTheNextPairThatExchangesMessagesBothWays()
            throws Exception {
        Runnable task = PreparedSerializers.prepare("kryo");
        FutureTask<Serializer[]> registered = PreparedSerializers.registered("kryo");
        Thread preparing = new Thread(task, "test-preparing-kryo");
        preparing.start();
        await().atMost(PATIENCE).until(registered::isDone);
        Serializer[] made = registered.get();

        try (var pair = MultiMessenger.newPair()) {
            assertFalse((PreparedSerializers.registered("kryo") != null), "the pair took the prepared serializers");
            assertUsedByOneEnd(made, pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldRunTheTaskWhenAPairOpensBeforeAnyThreadHasRunIt() throws Exception {
        PreparedSerializers.prepare("kryo"); // the task is never run here
        FutureTask<Serializer[]> registered = PreparedSerializers.registered("kryo");
        assertFalse(registered.isDone());

        var pair = assertTimeoutPreemptively(PATIENCE, () -> MultiMessenger.newPair());
        try (pair) {
            assertTrue(registered.isDone(), "opening the pair ran the task");
            assertFalse((PreparedSerializers.registered("kryo") != null), "the pair took the prepared serializers");
            assertUsedByOneEnd(registered.get(0, TimeUnit.SECONDS), pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldReturnATaskThatThrowsNothingForAnUnknownSerializerAndUnregistersItself() throws Exception {
        Runnable task = PreparedSerializers.prepare("no-such");
        FutureTask<Serializer[]> registered = PreparedSerializers.registered("no-such");

        assertDoesNotThrow(task::run);
        assertTrue(registered.isDone());
        assertFalse((PreparedSerializers.registered("no-such") != null), "a task that failed is no longer registered");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("no-such")));
        assertThat(e.getMessage(), allOf(containsString("No SerializerProvider named 'no-such'"),
                containsString("Available: [java, kryo]")));
        try (var pair = MultiMessenger.newPair()) {
            assertOwnSerializers(pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldGiveTheJavaSerializersItPreparedToTheNextJavaPair() throws Exception {
        Serializer[] made = prepareHere("java").get(0, TimeUnit.SECONDS);

        try (var pair = MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("java"))) {
            assertFalse((PreparedSerializers.registered("java") != null), "the pair took the prepared serializers");
            assertUsedByOneEnd(made, pair);
            assertExchangesBothWays(pair);
        }
    }

    @Test
    void shouldLeaveTheKryoPreparationToAKryoPipe() throws Exception {
        FutureTask<Serializer[]> registered = prepareHere("kryo");
        Serializer[] made = registered.get(0, TimeUnit.SECONDS);

        try (var javaPair = MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("java"))) {
            assertExchangesBothWays(javaPair);
            assertSame(registered, PreparedSerializers.registered("kryo"), "a java pipe does not take kryo serializers");
        }
        try (var kryoPair = MultiMessenger.newPair()) {
            assertUsedByOneEnd(made, kryoPair);
            assertExchangesBothWays(kryoPair);
        }
    }

    @Test
    void shouldMakeItsOwnSerializersWhenThePreparedTaskFails() throws Exception {
        PreparedSerializers.prepare("kryo");
        FutureTask<Serializer[]> failing = new FutureTask<>(() -> {
            throw new IllegalStateException("making the serializers failed");
        });
        PreparedSerializers.register("kryo", failing); // in place of the registered task, which would not fail

        try (var pair = MultiMessenger.newPair()) {
            assertTrue(failing.isDone(), "opening the pair ran the task");
            assertFalse((PreparedSerializers.registered("kryo") != null), "the pair took the failed task");
            assertOwnSerializers(pair);
            assertExchangesBothWays(pair);
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
                    Runnable task = PreparedSerializers.prepare("kryo");
                    if (i % 2 == 0) {
                        task.run(); // the others are left to the pipes that take them
                    }
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
            {
        Serializer[] worker = serializersOf(pair.worker());
        Serializer[] host = serializersOf(pair.host());
        Serializer[] user = worker[0] == made[0] ? worker : host;
        assertSame(made[0], user[0], "the prepared writer is one end's writer");
        assertSame(made[1], user[1], "the prepared reader is the same end's reader");
        Serializer[] other = user == worker ? host : worker;
        assertFalse(other[0] == made[0] || other[0] == made[1] || other[1] == made[0] || other[1] == made[1],
                "the other end has serializers of its own");
    }

    /** Checks that both ends of the pair have a writer and a reader, four distinct serializers. */
    private static void assertOwnSerializers(MessengerPair<? extends PipeMessenger> pair)
            {
        Set<Serializer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PipeMessenger end : List.of(pair.worker(), pair.host())) {
            Serializer[] serializers = serializersOf(end);
            assertNotNull(serializers[0], "the writer");
            assertNotNull(serializers[1], "the reader");
            assertNotSame(serializers[0], serializers[1], "an end's writer is not its reader");
            distinct.add(serializers[0]);
            distinct.add(serializers[1]);
        }
        assertEquals(4, distinct.size(), "the ends share no serializer");
    }

    /** The writer and the reader of a messenger's pipe. */
    private static Serializer[] serializersOf(PipeMessenger messenger) {
        return MessengerAccess.bridge().pipe(messenger).serializers();
    }

    /** Prepares the serializers on this thread; returns the registered task, done. */
    private static FutureTask<Serializer[]> prepareHere(String serializer) throws Exception {
        Runnable task = PreparedSerializers.prepare(serializer);
        FutureTask<Serializer[]> registered = PreparedSerializers.registered(serializer);
        task.run();
        return registered;
    }
}
