package coproc.worker.pool;

import coproc.worker.WorkerResource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Persistent workers that map functions over items: the workers start once and serve call
 * after call, each call with a function of its own, until the pool is closed.
 *
 * <pre>{@code
 * try (var pool = WorkerPool.start(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));   // [1, 4, 9]
 * }
 * }</pre>
 *
 * <h2>Calls</h2>
 * <table class="striped">
 *   <caption>Call methods</caption>
 *   <thead><tr><th>method</th><th>input</th><th>blocks</th><th>results</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #map}</td><td>a collection</td><td>until every result is in</td>
 *       <td>a list, in input order</td></tr>
 *   <tr><td>{@link #mapUnordered}</td><td>a collection</td><td>per element of the stream</td>
 *       <td>a stream, in the order the chunks complete</td></tr>
 *   <tr><td>{@link #mapLazy}</td><td>an iterable of any length, read as the workers free
 *       up</td><td>per element of the stream</td><td>a stream, in input order</td></tr>
 *   <tr><td>{@link #submit}</td><td>one item</td><td>no</td>
 *       <td>a {@link CompletableFuture}</td></tr>
 *   </tbody>
 * </table>
 * Items travel in chunks, one message per chunk and one per chunk's results. The default chunk
 * size for a collection is about {@code size / (4 × workers)}, at most 16,384 items with the
 * default frame limit (a quarter of the frame at 1 KiB per item); the lazy call starts with
 * chunks of 1 item and doubles them while a chunk computes in under 20 ms. A chunk whose
 * items or results do not fit in a frame is split. Items and results travel with the workers'
 * serializer (Kryo by default: JDK types and public records of exported packages need
 * nothing; see the README on {@code opens}); the function travels with JDK serialization (see
 * {@link PoolFunction}), once per worker while it stays in use.
 *
 * <h2>Failures</h2>
 * If the function throws for an item, the call throws {@link ItemFailedException} with the
 * item's index and the worker's exception; the rest of the call's work is cancelled and the
 * workers go on to the next call. If a worker dies (killed, {@code System.exit}, out of
 * memory), a new worker replaces it and its unfinished chunks are sent again (each alone, to
 * find the one at fault); a chunk whose workers died {@link PoolOptions#triesPerChunk()} times
 * fails its call with {@link ChunkLostException}. A chunk that its worker cannot decode (an
 * item's class does not load there, or the serializer refuses it) fails its call at once with
 * {@link coproc.api.MessageRejectedException}, naming the chunk and its items. A worker that had
 * that chunk alone goes on; one that had several (small chunks travel together) is replaced, as
 * a lost one is, and each of its chunks is sent again alone, to find the one at fault.
 * No result is lost or delivered twice. If no worker can be restarted, calls throw
 * {@link IllegalStateException}.
 *
 * <h2>Blocking and threads</h2>
 * Each worker has a host thread that blocks while the worker computes and while there is
 * nothing to send: the host uses no CPU while it waits. A blocked call throws
 * {@link coproc.api.CoprocException} if its thread is interrupted, cancels its work and keeps
 * the interrupt flag. The methods are thread-safe: calls from several threads share the
 * workers, their chunks in the order they were submitted. {@link #close()} fails the calls
 * still running with {@link java.util.concurrent.CancellationException}.
 */
public final class WorkerPool implements AutoCloseable {

    private final PoolOptions options;
    private final TaskQueue queue;
    private final FunctionTable functions = new FunctionTable();
    private final List<PoolSlot> slots = new ArrayList<>();

    private WorkerPool(PoolOptions options) {
        this.options = options;
        this.queue = new TaskQueue(options.workers());
        for (int i = 0; i < options.workers(); i++) {
            slots.add(new PoolSlot(i, queue, options));
        }
    }

    /**
     * Starts a pool of as many workers as this JVM has available processors, with the default
     * options.
     *
     * @return the pool, its workers started
     * @throws coproc.api.WorkerStartException if a worker does not start; none is left running
     */
    public static WorkerPool start() {
        return start(PoolOptions.defaults());
    }

    /**
     * Starts a pool of workers with the default options.
     *
     * @param workers how many, at least 1
     * @return the pool, its workers started
     * @throws IllegalArgumentException if {@code workers} is less than 1
     * @throws coproc.api.WorkerStartException if a worker does not start; none is left running
     */
    public static WorkerPool start(int workers) {
        return start(PoolOptions.defaults().withWorkers(workers));
    }

    /**
     * Starts a pool; blocks until every worker has started, in parallel.
     *
     * @param options the number of workers, their options, and the tries per chunk
     * @return the pool, its workers started
     * @throws coproc.api.WorkerStartException if a worker does not start; none is left running
     */
    public static WorkerPool start(PoolOptions options) {
        WorkerPool pool = new WorkerPool(Objects.requireNonNull(options, "options"));
        List<WorkerResource<Void>> workers = new ArrayList<>();
        pool.slots.forEach(slot -> workers.add(slot.worker()));
        ParallelStart.startAll(workers, Collections.nCopies(workers.size(), null));
        pool.slots.forEach(PoolSlot::startServing);
        return pool;
    }

    /**
     * Returns the pool's options.
     *
     * @return the options
     */
    public PoolOptions options() {
        return options;
    }

    /**
     * Maps a function over items with the default chunk size; blocks until every result is in.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items, in the order of the collection's iterator; copied at the call
     * @return the results in the items' order, an unmodifiable list that may hold nulls
     * @throws ItemFailedException if the function threw for an item
     * @throws ChunkLostException if a chunk's worker died on each of its tries
     * @throws coproc.api.MessageRejectedException if a worker could not decode a chunk
     * @throws IllegalArgumentException if the function cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
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
     * @param items the items
     * @param chunkSize how many items travel together, at least 1
     * @return the results in the items' order
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1, or the function
     *     cannot be serialized
     * @throws ItemFailedException if the function threw for an item
     * @throws ChunkLostException if a chunk's worker died on each of its tries
     * @throws coproc.api.MessageRejectedException if a worker could not decode a chunk
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> List<R> map(PoolFunction<? super T, ? extends R> fn, Collection<? extends T> items, int chunkSize) {
        PoolCall call = submitAll(fn, items, chunkSize, false);
        call.awaitAll();
        int size = items.size();
        int perChunk = Math.min(chunkSize, Math.max(1, size));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Object>[] chunks = new List[(size + perChunk - 1) / perChunk];
        for (int chunk = 0; chunk < chunks.length; chunk++) {
            chunks[chunk] = call.take(chunk);
        }
        @SuppressWarnings("unchecked")
        List<R> results = (List<R>) (List<?>) new ChunkedList(chunks, perChunk, size);
        return results;
    }

    /**
     * Maps a function over items with the default chunk size, yielding results as their chunks
     * complete. The chunks are submitted at once; the stream blocks for each result that has
     * not arrived. It holds results that are not consumed; closing it cancels the work left.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items
     * @return the results, one per item, in no particular order; a sequential stream whose
     *     terminal operation throws {@link ItemFailedException}, {@link ChunkLostException} or
     *     {@link coproc.api.MessageRejectedException} once the call has failed
     * @throws IllegalArgumentException if the function cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> Stream<R> mapUnordered(PoolFunction<? super T, ? extends R> fn, Collection<? extends T> items) {
        return mapUnordered(fn, items, Chunking.defaultSize(items.size(), options.workers(), options.workerOptions()));
    }

    /**
     * As {@link #mapUnordered(PoolFunction, Collection)}, with a chunk size of the caller's.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items
     * @param chunkSize how many items travel together, at least 1
     * @return the results, in no particular order
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1, or the function
     *     cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> Stream<R> mapUnordered(PoolFunction<? super T, ? extends R> fn, Collection<? extends T> items,
            int chunkSize) {
        PoolCall call = submitAll(fn, items, chunkSize, true);
        return ResultStream.of(call::takeAny, call::cancel);
    }

    /**
     * Maps a function over items of any number, in bounded memory: the items are read as the
     * workers free up, on the thread that consumes the stream, at most {@code 4 × workers}
     * chunks ahead of the results consumed. Chunks start at 1 item and grow while they are
     * quick (see the class documentation). For a {@link Stream}, pass {@code stream::iterator}.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items, iterated once, lazily
     * @return the results in the items' order, lazily; a sequential stream whose terminal
     *     operation throws {@link ItemFailedException}, {@link ChunkLostException} or
     *     {@link coproc.api.MessageRejectedException} when it reaches a chunk that failed, and
     *     what the items' iterator throws. Closing it cancels the work left
     * @throws IllegalArgumentException if the function cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> Stream<R> mapLazy(PoolFunction<? super T, ? extends R> fn, Iterable<? extends T> items) {
        return lazy(fn, items, 0);
    }

    /**
     * As {@link #mapLazy(PoolFunction, Iterable)}, with a fixed chunk size.
     *
     * @param <T> the type of the items
     * @param <R> the type of the results
     * @param fn the function, serializable
     * @param items the items, iterated once, lazily
     * @param chunkSize how many items travel together, at least 1
     * @return the results in the items' order, lazily
     * @throws IllegalArgumentException if {@code chunkSize} is less than 1, or the function
     *     cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> Stream<R> mapLazy(PoolFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunkSize) {
        return lazy(fn, items, Chunking.checked(chunkSize));
    }

    /**
     * Maps a function over one item, without blocking. Dependent actions of the future run on
     * its default executor, never on the pool's threads. Cancelling the future cancels the item's work.
     *
     * @param <T> the type of the item
     * @param <R> the type of the result
     * @param fn the function, serializable
     * @param item the item
     * @return the result, or completed exceptionally with {@link ItemFailedException} (index
     *     0), {@link ChunkLostException} or {@link coproc.api.MessageRejectedException}
     * @throws IllegalArgumentException if the function cannot be serialized
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    public <T, R> CompletableFuture<R> submit(PoolFunction<? super T, ? extends R> fn, T item) {
        PoolCall call = newCall(fn, false);
        CompletableFuture<R> future = new CompletableFuture<>();
        Executor async = future.defaultExecutor();
        call.whenDone(() -> {
            try {
                @SuppressWarnings("unchecked")
                R result = (R) call.take(0).get(0);
                async.execute(() -> future.complete(result));
            } catch (RuntimeException e) {
                async.execute(() -> future.completeExceptionally(e));
            }
        });
        submitChunk(call, 0, Collections.singletonList(item));
        call.endInput();
        future.whenComplete((result, error) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    /**
     * Closes the pool: calls still running fail with
     * {@link java.util.concurrent.CancellationException}, and every worker is stopped by its
     * stop ladder, in parallel; blocks until they all have. Idempotent.
     */
    @Override
    public void close() {
        queue.close();
        boolean interrupted = false;
        for (PoolSlot slot : slots) {
            try {
                slot.stop();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WorkerPool[" + options.workers() + " workers, " + (queue.isClosed() ? "closed" : "open") + ", launcher="
                + options.workerOptions().launcher() + "]";
    }

    private PoolCall newCall(PoolFunction<?, ?> fn, boolean anyOrder) {
        queue.checkUsable();
        return new PoolCall(functions.register(Objects.requireNonNull(fn, "fn")), anyOrder, this::cancelEverywhere);
    }

    private void cancelEverywhere(PoolCall call) {
        for (PoolSlot slot : slots) {
            slot.cancel(call.id());
        }
    }

    private PoolCall submitAll(PoolFunction<?, ?> fn, Collection<?> items, int chunkSize, boolean anyOrder) {
        Chunking.checked(chunkSize);
        PoolCall call = newCall(fn, anyOrder);
        List<?> list = Chunking.indexable(items);
        int size = Math.min(chunkSize, Math.max(1, list.size()));
        for (int start = 0; start < list.size(); start += size) {
            submitChunk(call, start, Chunking.slice(list, start, Math.min(list.size() - start, size) + start));
        }
        call.endInput();
        return call;
    }

    private void submitChunk(PoolCall call, long firstItem, List<Object> items) {
        int chunk = call.addChunk(items.size());
        try {
            queue.add(new PoolTask(call, chunk, 0, firstItem, items, 0, false));
        } catch (RuntimeException e) {
            call.fail(() -> e);
            throw e;
        }
    }

    private <T, R> Stream<R> lazy(PoolFunction<? super T, ? extends R> fn, Iterable<? extends T> items,
            int chunkSize) {
        Objects.requireNonNull(items, "items");
        PoolCall call = newCall(fn, false);
        LazyFeed feed = new LazyFeed(call, items.iterator(), Chunking.forUnknownSize(chunkSize,
                options.workerOptions()), 4 * options.workers(), this::submitChunk);
        return ResultStream.of(feed, call::cancel);
    }
}
