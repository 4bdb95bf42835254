package coproc.worker.pool;

import coproc.worker.WorkerOptions;
import java.util.Objects;

/**
 * How many workers a pool has, how it starts them, and how often it sends a chunk again
 * when its worker dies. Immutable; every {@code with...} method returns a copy.
 */
public final class PoolOptions {

    private final int workers;
    private final WorkerOptions workerOptions;
    private final int triesPerChunk;

    private PoolOptions(int workers, WorkerOptions workerOptions, int triesPerChunk) {
        this.workers = workers;
        this.workerOptions = workerOptions;
        this.triesPerChunk = triesPerChunk;
    }

    /**
     * Returns the defaults: as many workers as this JVM has available processors, the default
     * {@link WorkerOptions} (new JVMs, Kryo), and 3 tries per chunk.
     *
     * @return the default options
     */
    public static PoolOptions defaults() {
        return new PoolOptions(Runtime.getRuntime().availableProcessors(), WorkerOptions.defaults(), 3);
    }

    /**
     * Returns a copy with another number of workers.
     *
     * @param count at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public PoolOptions withWorkers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A pool needs at least 1 worker: workers=" + count);
        }
        return new PoolOptions(count, workerOptions, triesPerChunk);
    }

    /**
     * Returns a copy with other options for each worker: launcher, serializer, messenger kind,
     * JVM options, frame limit, timeouts.
     *
     * @param options the worker options
     * @return the new options
     */
    public PoolOptions withWorkerOptions(WorkerOptions options) {
        return new PoolOptions(workers, Objects.requireNonNull(options, "options"), triesPerChunk);
    }

    /**
     * Returns a copy with another number of tries per chunk: how many workers may die
     * computing a chunk before its call fails with {@link ChunkLostException}. A worker that
     * dies with several chunks counts for none of them: each is sent again alone, so that a
     * death is blamed on the chunk that caused it.
     *
     * @param tries at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code tries} is less than 1
     */
    public PoolOptions withTriesPerChunk(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("A chunk needs at least 1 try: triesPerChunk=" + tries);
        }
        return new PoolOptions(workers, workerOptions, tries);
    }

    /**
     * Returns the number of workers.
     *
     * @return the number of workers
     */
    public int workers() {
        return workers;
    }

    /**
     * Returns the options of each worker.
     *
     * @return the options of each worker
     */
    public WorkerOptions workerOptions() {
        return workerOptions;
    }

    /**
     * Returns how many workers may die computing a chunk before its call fails.
     *
     * @return the tries per chunk
     */
    public int triesPerChunk() {
        return triesPerChunk;
    }

    @Override
    public String toString() {
        return "PoolOptions[workers=" + workers + ", triesPerChunk=" + triesPerChunk + ", " + workerOptions + "]";
    }
}
