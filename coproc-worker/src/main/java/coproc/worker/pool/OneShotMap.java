package coproc.worker.pool;

import coproc.worker.WorkerResource;
import coproc.worker.pool.internal.OneShotTarget;
import coproc.worker.pool.internal.Wire;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Maps a function over items with workers started for that map alone: each worker is started
 * with its share of the items as its start argument (no message per item), maps them, sends
 * the results back and ends. Nothing stays running between maps, so a map can follow another
 * at once, from any thread.
 *
 * <pre>{@code
 * List<Integer> squares = new OneShotMap(PoolOptions.defaults().withWorkers(2))
 *         .map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
 * }</pre>
 *
 * <p>The items are cut into chunks (by default about {@code size / (4 × workers)} each, as in
 * {@link WorkerPool}), dealt to the workers in turn; no more workers start than there are
 * chunks, and none for an empty input. The function and the items travel to the workers with
 * JDK serialization, in the start argument, so the items must be {@link java.io.Serializable},
 * and one worker's share must fit in a frame; the results come back with the workers'
 * serializer.
 *
 * <p>A map blocks until every result is in. If the function throws for an item, the map throws
 * {@link ItemFailedException}; if a worker dies, {@link ChunkLostException} naming the first
 * chunk it had not finished (one-shot maps do not retry). Either way every worker of the map is
 * stopped before it returns. A worker's results are read in turn, so a failure is seen once the
 * workers before it have been read. Thread-safe: maps on several threads use workers of their own.
 */
public final class OneShotMap {

    private final PoolOptions options;

    /** Creates the mapper with the default options: as many workers as available processors. */
    public OneShotMap() {
        this(PoolOptions.defaults());
    }

    /**
     * Creates the mapper; starts nothing.
     *
     * @param options how many workers a map starts at most, and their options; the tries per
     *     chunk are not used
     */
    public OneShotMap(PoolOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Maps a function over items with the default chunk size.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items, serializable
     * @return the results in the items' order, an unmodifiable list that may hold nulls
     * @throws ItemFailedException if the function threw for an item
     * @throws ChunkLostException if a worker died before it had sent every result
     * @throws IllegalArgumentException if the function or an item cannot be serialized
     * @throws coproc.api.WorkerStartException if a worker does not start
     */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> fn, Collection<? extends T> items) {
        return map(fn, items, Chunking.defaultSize(items.size(), options.workers(), options.workerOptions()));
    }

    /**
     * As {@link #map(PoolFunction, Collection)}, with a chunk size of the caller's.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items, serializable
     * @param chunkSize how many items travel together, at least 1
     * @return the results in the items' order
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1, or the function or
     *     an item cannot be serialized
     * @throws ItemFailedException if the function threw for an item
     * @throws ChunkLostException if a worker died before it had sent every result
     * @throws coproc.api.WorkerStartException if a worker does not start
     */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> fn, Collection<? extends T> items, int chunkSize) {
        Objects.requireNonNull(fn, "fn");
        Chunking.checked(chunkSize);
        List<?> list = Chunking.indexable(items);
        if (list.isEmpty()) {
            return List.of();
        }
        chunkSize = Math.min(chunkSize, list.size());
        int chunks = (list.size() + chunkSize - 1) / chunkSize;
        int count = Math.min(options.workers(), chunks);
        List<List<Wire.Chunk>> shares = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            shares.add(new ArrayList<>());
        }
        for (int chunk = 0; chunk < chunks; chunk++) {
            int start = chunk * chunkSize;
            shares.get(chunk % count).add(new Wire.Chunk(chunk, 0, 0,
                    Chunking.slice(list, start, start + Math.min(list.size() - start, chunkSize))));
        }
        @SuppressWarnings("unchecked")
        Function<Object, Object> function = (Function<Object, Object>) (Function<?, ?>) fn;
        List<WorkerResource<OneShotTarget.Work>> workers = new ArrayList<>();
        List<OneShotTarget.Work> works = new ArrayList<>();
        for (List<Wire.Chunk> share : shares) {
            workers.add(new WorkerResource<>(OneShotTarget::run, options.workerOptions()));
            works.add(new OneShotTarget.Work(function, share));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object>[] results = new List[chunks];
        try {
            ParallelStart.startAll(workers, works);
            for (int w = 0; w < count; w++) {
                collect(new ReplyReader(workers.get(w).messenger()), shares.get(w), chunkSize, results);
            }
        } finally {
            workers.forEach(ParallelStart::closeQuietly);
        }
        @SuppressWarnings("unchecked")
        List<R> done = (List<R>) (List<?>) new ChunkedList(results, chunkSize, list.size());
        return done;
    }

    /** Receives a worker's results into their places; throws at its first failure. */
    private static void collect(ReplyReader replies, List<Wire.Chunk> share, int chunkSize, List<Object>[] results) {
        Map<Long, Pieces> open = new LinkedHashMap<>();
        for (Wire.Chunk chunk : share) {
            open.put(chunk.ticket(), new Pieces(chunk.items().size()));
        }
        while (!open.isEmpty()) {
            Object reply = replies.next();
            if (reply instanceof Wire.Done done && open.containsKey(done.ticket())) {
                List<Object> whole = open.get(done.ticket()).add(done.offset(), done.results());
                if (whole != null) {
                    open.remove(done.ticket());
                    results[(int) done.ticket()] = whole;
                }
            } else if (reply instanceof ReplyReader.ItemError error) {
                throw new ItemFailedException(error.failed().ticket() * chunkSize + error.failed().offset(),
                        error.cause());
            } else if (reply instanceof ReplyReader.Rejected rejected) {
                throw rejected.cause(); // the host sends a one-shot worker no message it could drop
            } else if (reply instanceof ReplyReader.Lost lost) {
                long first = open.keySet().iterator().next();
                Wire.Chunk chunk = share.stream().filter(c -> c.ticket() == first).findFirst().orElseThrow();
                throw new ChunkLostException((int) first, first * chunkSize, chunk.items().size(), 1, lost.cause());
            } else {
                throw new IllegalStateException("A one-shot worker replied " + reply + ", which it should not");
            }
        }
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    public PoolOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "OneShotMap[up to " + options.workers() + " workers, launcher=" + options.workerOptions().launcher() + "]";
    }
}
