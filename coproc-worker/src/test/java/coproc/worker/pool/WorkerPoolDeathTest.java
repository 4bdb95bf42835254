package coproc.worker.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.WorkerDiedException;
import coproc.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerPool} workers that die mid-map, as processes do: killed with {@code kill -9},
 * by {@code System.exit}, out of memory. The pool replaces them and sends their chunks again;
 * no result is lost or repeated, and nothing hangs (the preemptive timeouts are hang guards,
 * not timing expectations).
 */
class WorkerPoolDeathTest {

    private static final Duration HANG_GUARD = Duration.ofSeconds(120);

    /** Returns the item and the pid of the worker that mapped it, after a little work. */
    static long[] itemAndPid(Integer x) {
        try {
            Thread.sleep(2); // simulates work, so that the map is still running when a worker is killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new long[] {x, ProcessHandle.current().pid()};
    }

    static Integer exitAtThirteen(Integer x) {
        if (x == 13) {
            System.exit(7);
        }
        return x;
    }

    static Integer exhaustMemoryAtFive(Integer x) {
        if (x == 5) {
            long[][] hog = new long[64][];
            for (int i = 0; i < hog.length; i++) {
                hog[i] = new long[1 << 20]; // 8 MB each, past the worker's -Xmx32m
            }
            return hog.length;
        }
        return x;
    }

    @Test
    void shouldSendTheChunksOfAKilledWorkerAgainAndLoseNoResult() {
        var options = PoolOptions.defaults().withWorkers(2);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (var pool = WorkerPool.start(options);
                    Stream<long[]> results = pool.mapUnordered(WorkerPoolDeathTest::itemAndPid,
                            WorkerPoolTest.numbers(600), 5)) {
                List<Long> items = new ArrayList<>();
                Set<Long> pids = new HashSet<>();
                results.forEach(result -> {
                    if (pids.isEmpty()) {
                        // kill -9 of the worker that sent the first result, while it maps the rest
                        ProcessHandle.of(result[1]).orElseThrow().destroyForcibly();
                    }
                    items.add(result[0]);
                    pids.add(result[1]);
                });
                items.sort(null);
                assertEquals(WorkerPoolTest.numbers(600).stream().map(Integer::longValue).toList(), items,
                        "every item once");
                // A new worker replaced the killed one: once it is up, it takes its share of a map.
                // (The survivor may have finished the whole stream before it was.)
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    try (Stream<long[]> more = pool.mapUnordered(WorkerPoolDeathTest::itemAndPid,
                            WorkerPoolTest.numbers(4), 1)) {
                        more.forEach(result -> pids.add(result[1]));
                    }
                    return pids.size() == 3;
                });
                assertEquals(WorkerPoolTest.squares(100), pool.map((Integer x) -> x * x, WorkerPoolTest.numbers(100)));
            }
        });
    }

    @Test
    void shouldFailNamingTheChunkWhenItsWorkerKeepsDying() {
        var options = PoolOptions.defaults().withWorkers(2).withTriesPerChunk(2);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (var pool = WorkerPool.start(options)) {
                ChunkLostException lost = assertThrows(ChunkLostException.class,
                        () -> pool.map(WorkerPoolDeathTest::exitAtThirteen, WorkerPoolTest.numbers(40), 5));
                assertEquals(2, lost.chunk());
                assertEquals(10, lost.firstItem());
                assertEquals(5, lost.items());
                assertEquals(2, lost.tries());
                assertEquals(7, lost.exitCode().orElse(-1), lost::getMessage);
                assertInstanceOf(WorkerDiedException.class, lost);
                assertTrue(lost.getMessage().startsWith("Chunk 2 (items 10 to 14) was lost"), lost.getMessage());
                assertTrue(lost.getMessage().contains("exit code 7"), lost.getMessage());

                assertEquals(WorkerPoolTest.squares(100), pool.map((Integer x) -> x * x, WorkerPoolTest.numbers(100)),
                        "usable afterwards, with new workers");
            }
        });
    }

    @Test
    void shouldReplaceAWorkerThatRunsOutOfMemory() {
        var options = PoolOptions.defaults().withWorkers(1).withTriesPerChunk(1)
                .withWorkerOptions(WorkerOptions.defaults().withJvmOptions(List.of("-Xmx32m")));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (var pool = WorkerPool.start(options)) {
                ChunkLostException lost = assertThrows(ChunkLostException.class,
                        () -> pool.map(WorkerPoolDeathTest::exhaustMemoryAtFive, WorkerPoolTest.numbers(10), 4));
                assertEquals(1, lost.chunk());
                assertTrue(lost.getMessage().contains("OutOfMemoryError"), lost.getMessage());
                assertEquals(WorkerPoolTest.numbers(10), pool.map((Integer x) -> x, WorkerPoolTest.numbers(10)));
            }
        });
    }
}
