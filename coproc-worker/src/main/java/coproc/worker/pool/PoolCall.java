package coproc.worker.pool;

import coproc.api.CoprocException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The ledger of one call of a pool: which chunks were submitted, which have completed, and
 * whether the call failed. The workers' threads complete chunks or fail the call; the caller's
 * thread takes the completed chunks, in order or as they come, blocking until there is one.
 *
 * <p>A call that failed or was cancelled is <em>over</em>: the pool drops its queued chunks,
 * the workers skip its chunks, and its results are ignored. The first failure wins. A take
 * returns a chunk that completed, even after a failure; it throws the failure for a chunk
 * that did not.
 *
 * <p>Thread-safe: one lock guards the ledger; the caller waits on its condition.
 */
final class PoolCall {

    private static final AtomicLong IDS = new AtomicLong();
    /** What the caller waits for, when it is not a chunk's index. */
    private static final int NOBODY = -3;
    private static final int ANY = -2;
    private static final int ALL = -1;

    private final long id = IDS.incrementAndGet();
    private final FunctionTable.Entry function;
    private final Consumer<PoolCall> onOver;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when what the caller awaits has come, the input ends or the call fails. */
    private final Condition changed = lock.newCondition();
    /** A chunk's index, or {@link #ANY}, {@link #ALL} or {@link #NOBODY}; guarded by lock. */
    private int awaiting = NOBODY;
    /**
     * Each chunk submitted and not taken, by index: its {@link Pieces} until it completes, then
     * its results; guarded by lock.
     */
    private final Ring<Object> states = new Ring<>(0);
    /** For a call taken in any order, the chunks complete and not taken, in the order they completed; else null. */
    private final ArrayDeque<Integer> completedOrder;
    /** Guarded by lock. */
    private int pending;
    /** Guarded by lock. */
    private int chunks;
    /** Guarded by lock. */
    private int taken;
    /** Guarded by lock. */
    private boolean inputEnded;
    /** Makes the exception the call fails with, in the thread that throws it; guarded by lock. */
    private Supplier<RuntimeException> failure;
    /** Run once when the call is done: every chunk complete, or failed; guarded by lock. */
    private Runnable whenDone;
    private volatile boolean over;
    private volatile long nanosPerItem = -1;

    /**
     * Creates a call.
     *
     * @param function the function it maps
     * @param anyOrder whether its chunks are taken with {@link #takeAny()}, else with {@link #take(int)}
     * @param onOver told once if the call fails or is cancelled, outside the lock
     */
    PoolCall(FunctionTable.Entry function, boolean anyOrder, Consumer<PoolCall> onOver) {
        this.function = function;
        this.completedOrder = anyOrder ? new ArrayDeque<>() : null;
        this.onOver = onOver;
    }

    long id() {
        return id;
    }

    FunctionTable.Entry function() {
        return function;
    }

    /** Whether the call failed or was cancelled: its work is not wanted any more. */
    boolean isOver() {
        return over;
    }

    /** The compute time of an item in the latest chunk that completed, or -1 if none has. */
    long nanosPerItem() {
        return nanosPerItem;
    }

    /**
     * Registers the next chunk.
     *
     * @param size how many items it has
     * @return its index
     */
    int addChunk(int size) {
        lock.lock();
        try {
            states.add(new Pieces(size));
            pending++;
            return chunks++;
        } finally {
            lock.unlock();
        }
    }

    /** Says that no more chunks will be added. */
    void endInput() {
        Runnable done;
        lock.lock();
        try {
            inputEnded = true;
            changed.signalAll();
            done = doneAction();
        } finally {
            lock.unlock();
        }
        run(done);
    }

    /**
     * Sets what to run, once, when the call is done (see the class documentation). It runs in
     * the thread that completes or fails the call.
     */
    void whenDone(Runnable action) {
        lock.lock();
        try {
            whenDone = action;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records the results of items of a chunk; ignored once the call is over.
     *
     * @param chunk the chunk's index
     * @param offset the index in the chunk of the first result
     * @param results the results
     * @param nanos the worker's compute time for them, or 0 if not measured
     */
    void complete(int chunk, int offset, List<Object> results, long nanos) {
        Runnable done;
        lock.lock();
        try {
            if (failure != null || !(states.get(chunk) instanceof Pieces pieces)) {
                return;
            }
            if (nanos > 0 && !results.isEmpty()) {
                nanosPerItem = nanos / results.size();
            }
            List<Object> whole = pieces.add(offset, results);
            if (whole == null) {
                return;
            }
            states.set(chunk, whole);
            pending--;
            if (completedOrder != null) {
                completedOrder.add(chunk);
            }
            if (awaiting == chunk || awaiting == ANY || awaiting == ALL && pending == 0) {
                changed.signalAll(); // only then: a chunk of 1 item must not cost the caller a wake-up
            }
            done = doneAction();
        } finally {
            lock.unlock();
        }
        run(done);
    }

    /**
     * Fails the call because an item's function threw.
     *
     * @param index the item's index in the call's input
     * @param cause what the worker threw
     */
    void failItem(long index, Throwable cause) {
        fail(() -> new ItemFailedException(index, cause));
    }

    /** Cancels the call: it is over, and a take of a chunk that did not complete throws. */
    void cancel() {
        fail(() -> new CancellationException("The call was cancelled"));
    }

    /**
     * Fails the call, unless it failed already or every chunk was taken.
     *
     * @param why makes the exception that takes throw
     */
    void fail(Supplier<RuntimeException> why) {
        Runnable done;
        lock.lock();
        try {
            if (failure != null || inputEnded && taken == chunks) {
                return;
            }
            failure = why;
            over = true;
            changed.signalAll();
            done = doneAction();
        } finally {
            lock.unlock();
        }
        onOver.accept(this);
        run(done);
    }

    /**
     * Takes a chunk's results, blocking until it has completed.
     *
     * @param chunk the chunk's index
     * @return the results
     * @throws RuntimeException what the call failed with, if the chunk did not complete
     * @throws CoprocException if the thread is interrupted; the call is cancelled and the
     *     interrupt flag stays set
     */
    @SuppressWarnings("unchecked")
    List<Object> take(int chunk) {
        return await(chunk, () -> states.get(chunk) instanceof List<?> ? (List<Object>) states.remove(chunk) : null);
    }

    /**
     * Blocks until every chunk has completed and the input has ended.
     *
     * @throws RuntimeException what the call failed with, if it failed
     * @throws CoprocException if the thread is interrupted; the call is cancelled and the
     *     interrupt flag stays set
     */
    void awaitAll() {
        await(ALL, () -> inputEnded && pending == 0 ? List.of() : null);
        lock.lock();
        try {
            taken--; // awaiting took nothing
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes any completed chunk's results, the earliest completed first, blocking until one
     * has completed.
     *
     * @return the results, or {@code null} once every chunk was taken and the input ended
     * @throws RuntimeException what the call failed with, if it failed
     * @throws CoprocException if the thread is interrupted; the call is cancelled and the
     *     interrupt flag stays set
     */
    List<Object> takeAny() {
        return await(ANY, () -> {
            Integer first = completedOrder.poll();
            @SuppressWarnings("unchecked")
            List<Object> results = first == null ? null : (List<Object>) states.remove(first);
            return results;
        });
    }

    /** Waits until the poll returns results, which count as taken, or the call fails or ends. */
    private List<Object> await(int what, Supplier<List<Object>> poll) {
        lock.lock();
        try {
            while (true) {
                List<Object> results = poll.get();
                if (results != null) {
                    taken++;
                    return results;
                }
                if (failure != null) {
                    throw failure.get();
                }
                if (what == ANY && inputEnded && taken == chunks) {
                    return null;
                }
                awaiting = what;
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } finally {
                    awaiting = NOBODY;
                }
            }
        } finally {
            lock.unlock();
        }
        cancel();
        throw new CoprocException("Interrupted while waiting for the results of a pool's call; the call was cancelled");
    }

    /** The action to run now that the call may be done, once; the caller holds the lock. */
    private Runnable doneAction() {
        Runnable action = whenDone;
        if (action == null || failure == null && !(inputEnded && pending == 0)) {
            return null;
        }
        whenDone = null;
        return action;
    }

    private static void run(Runnable action) {
        if (action != null) {
            action.run();
        }
    }
}
