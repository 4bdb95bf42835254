package coproc.worker.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.MessageRejectedException;
import coproc.api.SerializationException;
import coproc.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a {@link WorkerPool} returns, on {@code thread} workers (the same pipe and serializer
 * as {@code jvm} workers, started in milliseconds); the tests about processes, and one of each
 * call on {@code jvm} workers, are in {@link WorkerPoolDeathTest} and
 * {@link #shouldMapOnEitherLauncher}.
 */
class WorkerPoolTest {

    private static final long HANG_GUARD_SECONDS = 60;

    /** Thrown by {@link #failAt}: unchecked, and present in the host. */
    public static class ItemException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ItemException(String message) {
            super(message);
        }
    }

    /** A class whose field Kryo may not reach: this package is exported, not opened. */
    static final class Opaque {
        private final String name;

        Opaque(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static WorkerPool threadPool(int workers) {
        return WorkerPool.start(PoolOptions.defaults().withWorkers(workers)
                .withWorkerOptions(WorkerOptions.defaults().withLauncher("thread")));
    }

    static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toList());
    }

    static List<Integer> squares(int count) {
        return IntStream.range(0, count).mapToObj(x -> x * x).collect(Collectors.toList());
    }

    static PoolFunction<Integer, Integer> failAt(int bad) {
        return x -> {
            if (x == bad) {
                throw new ItemException("no " + x);
            }
            return x * x;
        };
    }

    @Test
    void shouldReturnNothingForAnEmptyInput() {
        try (var pool = threadPool(2)) {
            assertEquals(List.of(), pool.map((Integer x) -> x * x, List.of()));
            assertEquals(List.of(), pool.<Integer, Integer>mapUnordered(x -> x * x, List.of()).toList());
            assertEquals(List.of(), pool.<Integer, Integer>mapLazy(x -> x * x, List.of()).toList());
            assertEquals(List.of(), pool.map((Integer x) -> x * x, List.of(), 5));
        }
    }

    @Test
    void shouldMapOneItem() throws Exception {
        try (var pool = threadPool(2)) {
            assertEquals(List.of(25), pool.map((Integer x) -> x * x, List.of(5)));
            assertEquals(List.of(25), pool.<Integer, Integer>mapUnordered(x -> x * x, List.of(5)).toList());
            assertEquals(List.of(25), pool.<Integer, Integer>mapLazy(x -> x * x, List.of(5)).toList());
            assertEquals(25, pool.submit((Integer x) -> x * x, 5).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldMapFewerItemsThanWorkers() {
        try (var pool = threadPool(4)) {
            assertEquals(List.of(0, 1, 4), pool.map((Integer x) -> x * x, numbers(3)));
            assertEquals(List.of(0, 1, 4), pool.<Integer, Integer>mapUnordered(x -> x * x, numbers(3)).sorted().toList());
        }
    }

    @Test
    void shouldKeepTheOrderOfAHundredThousandItems() {
        try (var pool = threadPool(2)) {
            assertEquals(squares(100_000), pool.map((Integer x) -> x * x, numbers(100_000)));
        }
    }

    @Test
    void shouldYieldEveryResultOnceWhenUnordered() {
        try (var pool = threadPool(3); Stream<Integer> results = pool.mapUnordered(x -> x * x, numbers(20_000), 7)) {
            List<Integer> all = new ArrayList<>(results.toList());
            Collections.sort(all);
            assertEquals(squares(20_000), all);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, Integer.MAX_VALUE})
    void shouldMapWithAnyChunkSize(int chunkSize) {
        try (var pool = threadPool(2)) {
            assertEquals(squares(1_000), pool.map((Integer x) -> x * x, numbers(1_000), chunkSize));
            assertEquals(squares(1_000), pool.<Integer, Integer>mapLazy(x -> x * x, numbers(1_000), chunkSize).toList());
            assertEquals(squares(1_000), pool.<Integer, Integer>mapUnordered(x -> x * x, numbers(1_000), chunkSize)
                    .sorted().toList());
        }
    }

    @Test
    void shouldNameTheItemThatThrewAndStayUsable() {
        try (var pool = threadPool(2)) {
            ItemFailedException failed = assertThrows(ItemFailedException.class,
                    () -> pool.map(failAt(517), numbers(1_000), 10));
            assertEquals(517, failed.index());
            ItemException cause = assertInstanceOf(ItemException.class, failed.getCause(), "the worker's own type");
            assertEquals("no 517", cause.getMessage());
            assertTrue(failed.getMessage().contains("Item 517"), failed.getMessage());

            assertThrows(ItemFailedException.class, () -> pool.mapUnordered(failAt(3), numbers(100)).toList());
            assertThrows(ItemFailedException.class, () -> pool.mapLazy(failAt(99), numbers(100)).toList());
            ExecutionException viaFuture = assertThrows(ExecutionException.class,
                    () -> pool.submit(failAt(8), 8).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, assertInstanceOf(ItemFailedException.class, viaFuture.getCause()).index());

            assertEquals(squares(1_000), pool.map((Integer x) -> x * x, numbers(1_000), 10), "usable afterwards");
        }
    }

    @Test
    void shouldApplyANewFunctionOnEachCall() {
        try (var pool = threadPool(2)) {
            assertEquals(List.of(1, 2, 3), pool.map((Integer x) -> x + 1, numbers(3)));
            assertEquals(List.of(0, 2, 4), pool.map((Integer x) -> x * 2, numbers(3)));
            for (int offset : new int[] {10, 20}) { // one lambda, different captured values
                assertEquals(List.of(offset, offset + 1), pool.map((Integer x) -> x + offset, numbers(2)));
            }
            assertEquals(List.of("0", "1"), pool.map(String::valueOf, numbers(2)));
        }
    }

    @Test
    void shouldReadALazyInputOnlyAsFarAsTheResultsConsumed() {
        AtomicLong read = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) read.getAndIncrement();
            }
        };
        try (var pool = threadPool(2); Stream<Integer> results = pool.mapLazy(x -> x * x, endless, 10)) {
            assertEquals(squares(1_000), results.limit(1_000).toList());
        }
        // At most 4 x workers chunks of 10 ahead of what was consumed.
        assertTrue(read.get() <= 1_000 + 4 * 2 * 10, "read " + read.get());
    }

    @Test
    void shouldMapALazyInputOfUnknownSizeInOrder() {
        try (var pool = threadPool(2)) {
            assertEquals(squares(50_000), pool.<Integer, Integer>mapLazy(x -> x * x, numbers(50_000)::iterator).toList());
        }
    }

    @Test
    void shouldCompleteSubmittedFutures() {
        try (var pool = threadPool(2)) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit((Integer x) -> x * x, i));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(HANG_GUARD_SECONDS,
                    TimeUnit.SECONDS).join();
            assertEquals(squares(200), futures.stream().map(CompletableFuture::join).toList());
        }
    }

    @Test
    void shouldSplitChunksThatDoNotFitInAFrame() {
        var options = WorkerOptions.defaults().withLauncher("thread").withMaxFrameLength(64 * 1024);
        try (var pool = WorkerPool.start(PoolOptions.defaults().withWorkers(2).withWorkerOptions(options))) {
            List<String> items = IntStream.range(0, 400).mapToObj(i -> i + "x".repeat(1_000)).toList();
            // 400 items of 1 KB in one chunk of 400 KB, and results twice as large: both split.
            assertEquals(items.stream().map(s -> s + s).toList(), pool.map((String s) -> s + s, items, 400));
        }
    }

    @Test
    void shouldNameAnItemThatCannotBeSent() {
        try (var pool = threadPool(2)) {
            List<Object> items = new ArrayList<>(List.of(1, 2, 3));
            items.add(new Opaque("four")); // Kryo may not reach its private field: refused at send
            items.add(5);
            ItemFailedException failed = assertThrows(ItemFailedException.class,
                    () -> pool.map((Object x) -> String.valueOf(x), items, 5));
            assertEquals(3, failed.index());
            assertInstanceOf(SerializationException.class, failed.getCause());
            assertEquals(List.of("1"), pool.map((Integer x) -> String.valueOf(x), List.of(1)), "usable afterwards");
        }
    }

    /** Serializes, but cannot be rebuilt: as a class missing on the other side would be. */
    public record Unbuildable(int value) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            throw new IllegalStateException("cannot be rebuilt");
        }
    }

    @Test
    void shouldFailWithoutHangingWhenAnItemDoesNotDecodeInTheWorker() {
        var options = PoolOptions.defaults().withWorkers(1).withTriesPerChunk(1)
                .withWorkerOptions(WorkerOptions.defaults().withLauncher("thread").withSerializer("java"));
        try (var pool = WorkerPool.start(options)) {
            List<Object> items = List.of(1, new Unbuildable(2));
            MessageRejectedException rejected = assertThrows(MessageRejectedException.class,
                    () -> pool.map((Object x) -> String.valueOf(x), items, 2));
            assertTrue(rejected.getMessage().startsWith("Chunk 0 (items 0 to 1)"), rejected.getMessage());
            assertTrue(rejected.getMessage().contains("cannot be rebuilt"), rejected.getMessage());
            assertEquals(List.of("1"), pool.map((Integer x) -> String.valueOf(x), List.of(1)), "usable afterwards");
        }
    }

    @Test
    void shouldCarryMixedItemsAndResultsAsThemselves() {
        try (var pool = threadPool(2)) {
            List<Object> items = new ArrayList<>(List.of(1, 2L, 3.0, "four", List.of(5)));
            items.add(null);
            assertEquals(items, pool.map((Object x) -> x, items));
            assertEquals(List.of(1L, 2L), pool.map((Integer x) -> (long) x, List.of(1, 2)));
        }
    }

    @Test
    void shouldWorkWithTheJavaSerializer() {
        var options = WorkerOptions.defaults().withLauncher("thread").withSerializer("java");
        try (var pool = WorkerPool.start(PoolOptions.defaults().withWorkers(2).withWorkerOptions(options))) {
            assertEquals(squares(1_000), pool.map((Integer x) -> x * x, numbers(1_000)));
            assertThrows(ItemFailedException.class, () -> pool.map(failAt(7), numbers(10)));
        }
    }

    @Test
    void shouldRefuseBadArgumentsNamingThem() {
        try (var pool = threadPool(1)) {
            IllegalArgumentException chunk = assertThrows(IllegalArgumentException.class,
                    () -> pool.map((Integer x) -> x, List.of(1), 0));
            assertTrue(chunk.getMessage().contains("chunkSize=0"), chunk.getMessage());
            Object notSerializable = new Object();
            IllegalArgumentException function = assertThrows(IllegalArgumentException.class,
                    () -> pool.map((Integer x) -> notSerializable.hashCode(), List.of(1)));
            assertTrue(function.getMessage().contains("java.lang.Object"), function.getMessage());
        }
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                () -> PoolOptions.defaults().withWorkers(0));
        assertTrue(workers.getMessage().contains("workers=0"), workers.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.defaults().withTriesPerChunk(0));
    }

    @Test
    void shouldRefuseCallsOnceClosed() {
        var pool = threadPool(1);
        pool.close();
        pool.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> pool.map((Integer x) -> x, List.of(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "jvm"})
    void shouldMapOnEitherLauncher(String launcher) throws Exception {
        var options = WorkerOptions.defaults().withLauncher(launcher);
        try (var pool = WorkerPool.start(PoolOptions.defaults().withWorkers(2).withWorkerOptions(options))) {
            assertEquals(squares(10_000), pool.map((Integer x) -> x * x, numbers(10_000)));
            assertEquals(squares(1_000), pool.<Integer, Integer>mapUnordered(x -> x * x, numbers(1_000), 1)
                    .sorted().toList());
            assertEquals(squares(1_000), pool.<Integer, Integer>mapLazy(x -> x * x, numbers(1_000)).toList());
            assertEquals(49, pool.submit((Integer x) -> x * x, 7).get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            ItemFailedException failed = assertThrows(ItemFailedException.class, () -> pool.map(failAt(42), numbers(50)));
            assertEquals(42, failed.index());
            assertInstanceOf(ItemException.class, failed.getCause());
        }
    }
}
