package coproc.worker.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.MessageRejectedException;
import coproc.worker.WorkerOptions;
import java.io.Serializable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Items that a pool's worker cannot decode: the call fails with an error that names the
 * chunk and why, at once (decoding fails the same way every time), and the worker, which
 * dropped the chunk and carries on, stays the pool's. A {@link MessageRejectedException} that
 * the function throws is no such rejection.
 */
@Timeout(120)
class WorkerPoolRejectTest {

    /** The system property that poisons {@link Poisoned} in the workers. */
    private static final String POISON = "coproc.test.poison";

    /** An item whose class cannot be initialized in the workers (they run with the poison property). */
    static final class Poisoned implements Serializable {

        private static final long serialVersionUID = 1L;

        static {
            if (Boolean.getBoolean(POISON)) {
                throw new IllegalStateException("this class does not load in a worker");
            }
        }

        final int value;

        Poisoned(int value) {
            this.value = value;
        }
    }

    static Integer value(Object item) {
        return item instanceof Poisoned poisoned ? poisoned.value : (Integer) item;
    }

    /** One worker JVM, with the JDK serializer, in which {@link Poisoned} does not load. */
    private static PoolOptions poisonedWorker() {
        return PoolOptions.defaults().withWorkers(1).withWorkerOptions(WorkerOptions.defaults().withSerializer("java")
                .withJvmOptions(List.of("-D" + POISON + "=true")));
    }

    static Long pid(Object item) {
        return ProcessHandle.current().pid();
    }

    @Test
    void shouldFailACallWhoseItemsTheWorkerCannotDecodeAndKeepTheWorker() {
        try (var pool = WorkerPool.start(poisonedWorker())) {
            assertEquals(List.of(1, 2, 3), pool.map(WorkerPoolRejectTest::value, List.<Object>of(1, 2, 3)));
            List<Long> pid = pool.map(WorkerPoolRejectTest::pid, List.<Object>of(0));

            MessageRejectedException rejected = assertThrows(MessageRejectedException.class,
                    () -> pool.map(WorkerPoolRejectTest::value, List.<Object>of(4, new Poisoned(5), 6), 3));

            assertTrue(rejected.getMessage().startsWith("Chunk 0 (items 0 to 2)"), rejected.getMessage());
            assertTrue(rejected.getMessage().contains("did not decode"), rejected.getMessage());
            assertEquals(List.of(7, 8), pool.map(WorkerPoolRejectTest::value, List.<Object>of(7, 8)));
            assertEquals(pid, pool.map(WorkerPoolRejectTest::pid, List.<Object>of(0)), "the same worker serves on");
        }
    }

    /**
     * With several chunks at the worker (these small ones travel in one batch), which one it
     * dropped is not said: the pool finds it by sending each again alone (to a new worker, as
     * after a loss), then fails its call.
     */
    @Test
    void shouldFindTheChunkTheWorkerCannotDecodeAmongSeveral() {
        try (var pool = WorkerPool.start(poisonedWorker())) {
            List<Object> items = List.of(0, 1, 2, 3, 4, 5, 6, new Poisoned(7), 8);

            MessageRejectedException rejected = assertThrows(MessageRejectedException.class,
                    () -> pool.map(WorkerPoolRejectTest::value, items, 3));

            assertTrue(rejected.getMessage().startsWith("Chunk 2 (items 6 to 8)"), rejected.getMessage());
            assertEquals(List.of(1, 2), pool.map(WorkerPoolRejectTest::value, List.<Object>of(1, 2)));
        }
    }

    static Integer throwRejectedAtOne(Integer x) {
        if (x == 1) {
            throw new MessageRejectedException("thrown by the function, not a rejection");
        }
        return x;
    }

    /** A MessageRejectedException that the function throws is an item's failure like any other. */
    @Test
    void shouldReportAMessageRejectedExceptionTheFunctionThrowsAsTheItemsFailure() {
        PoolOptions threads = PoolOptions.defaults().withWorkers(1)
                .withWorkerOptions(WorkerOptions.defaults().withLauncher("thread"));
        try (var pool = WorkerPool.start(threads)) {
            ItemFailedException failed = assertThrows(ItemFailedException.class,
                    () -> pool.map(WorkerPoolRejectTest::throwRejectedAtOne, List.of(0, 1, 2), 3));
            assertEquals(1, failed.index());
            assertInstanceOf(MessageRejectedException.class, failed.getCause());
            assertEquals(List.of(3, 4), pool.map(WorkerPoolRejectTest::throwRejectedAtOne, List.of(3, 4)));
        }
        ItemFailedException oneShot = assertThrows(ItemFailedException.class,
                () -> new OneShotMap(threads).map(WorkerPoolRejectTest::throwRejectedAtOne, List.of(0, 1, 2), 3));
        assertEquals(1, oneShot.index());
    }
}
