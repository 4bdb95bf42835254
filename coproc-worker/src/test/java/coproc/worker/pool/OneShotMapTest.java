package coproc.worker.pool;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.worker.WorkerOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link OneShotMap}: workers started with their share of the items, ended after each map. */
class OneShotMapTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    static OneShotMap onThreads(int workers) {
        return new OneShotMap(PoolOptions.defaults().withWorkers(workers)
                .withWorkerOptions(WorkerOptions.defaults().withLauncher("thread")));
    }

    static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("coproc-worker-") && thread.isAlive()).count();
    }

    static Integer exitAtSix(Integer x) {
        if (x == 6) {
            System.exit(5);
        }
        return x;
    }

    @Test
    void shouldMapTwentyTimesInARowLeavingNoWorkerBehind() {
        long before = workerThreads();
        OneShotMap oneShot = onThreads(3);
        for (int call = 0; call < 20; call++) {
            int count = call * 7; // 0 items, then fewer chunks than workers, then more
            assertEquals(WorkerPoolTest.squares(count), oneShot.map((Integer x) -> x * x, WorkerPoolTest.numbers(count), 2),
                    "call " + call);
        }
        await().atMost(PATIENCE).until(() -> workerThreads() <= before);
    }

    @Test
    void shouldMapEmptyInputOneItemAndFewerItemsThanWorkers() {
        OneShotMap oneShot = onThreads(4);
        assertEquals(List.of(), oneShot.map((Integer x) -> x * x, List.of()));
        assertEquals(List.of(49), oneShot.map((Integer x) -> x * x, List.of(7)));
        assertEquals(List.of(0, 1), oneShot.map((Integer x) -> x * x, WorkerPoolTest.numbers(2)));
        assertEquals(WorkerPoolTest.squares(1_000), oneShot.map((Integer x) -> x * x, WorkerPoolTest.numbers(1_000)));
    }

    @Test
    void shouldNameTheItemThatThrew() {
        OneShotMap oneShot = onThreads(2);
        ItemFailedException failed = assertThrows(ItemFailedException.class,
                () -> oneShot.map(WorkerPoolTest.failAt(33), WorkerPoolTest.numbers(100), 10));
        assertEquals(33, failed.index());
        assertInstanceOf(WorkerPoolTest.ItemException.class, failed.getCause());
        assertEquals(List.of(1), oneShot.map((Integer x) -> x * x, List.of(1)), "callable again at once");
    }

    @Test
    void shouldEndItsWorkerJvmsBeforeItReturns() {
        OneShotMap oneShot = new OneShotMap(PoolOptions.defaults().withWorkers(2));
        List<Long> pids = oneShot.map((Integer x) -> ProcessHandle.current().pid(), WorkerPoolTest.numbers(8), 1);
        Set<Long> workers = new HashSet<>(pids);
        assertEquals(2, workers.size(), "two worker JVMs: " + workers);
        assertFalse(workers.contains(ProcessHandle.current().pid()));
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " ended");
        }
    }

    @Test
    void shouldNameTheChunkOfAWorkerThatDied() {
        OneShotMap oneShot = new OneShotMap(PoolOptions.defaults().withWorkers(2));
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            ChunkLostException lost = assertThrows(ChunkLostException.class,
                    () -> oneShot.map(OneShotMapTest::exitAtSix, WorkerPoolTest.numbers(16), 4));
            assertEquals(1, lost.chunk());
            assertEquals(4, lost.firstItem());
            assertEquals(5, lost.exitCode().orElse(-1), lost::getMessage);
            assertTrue(lost.getMessage().startsWith("Chunk 1 (items 4 to 7) was lost"), lost.getMessage());
        });
    }
}
