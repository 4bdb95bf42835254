package coproc.worker.pool.internal;

import coproc.api.FrameTooLongException;
import coproc.api.Messenger;
import coproc.api.SerializationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps a function over the items of chunks, in a pool's worker, and replies to the host: the
 * results (split over several frames when they do not fit in one), or the first item that
 * failed and its exception, or that the chunk was skipped because its call was cancelled.
 *
 * <p>When it batches, the replies of small, quick chunks are sent together, in one {@link Wire.Batch}: at most
 * {@value #BATCH} of them, none held longer than {@value #BATCH_NANOS} ns and an item's
 * compute time, and none while the worker waits for more work ({@link #flush()}).
 */
final class ChunkRunner {

    /** How often, at most, the runner looks for cancellations while it computes. */
    private static final long CHECK_NANOS = 10_000_000L;
    /** How many cancelled calls it remembers. */
    private static final int CANCELLED_KEPT = 1024;
    /** The most replies sent together, and the most results a reply sent with others may have. */
    private static final int BATCH = 64;
    /** How long a reply may wait for others to go with it. */
    private static final long BATCH_NANOS = 1_000_000L;

    private final Messenger messenger;
    private final boolean batching;
    private final Set<Long> cancelled = new LinkedHashSet<>();
    private final List<Object> held = new ArrayList<>();
    private long heldSince;
    private long lastCheck = System.nanoTime();

    /**
     * Creates the runner.
     *
     * @param messenger the worker's messenger
     * @param batching whether to hold small replies back to send them together
     */
    ChunkRunner(Messenger messenger, boolean batching) {
        this.messenger = messenger;
        this.batching = batching;
    }

    /**
     * Runs one chunk and replies, or holds the reply to send it with the next.
     *
     * @param chunk the chunk
     * @param function the function to apply to each item
     * @throws VirtualMachineError other than a stack overflow, thrown by the function: the
     *     worker ends, and the host sends the chunk to another
     */
    void run(Wire.Chunk chunk, Function<Object, Object> function) {
        if (cancelled(chunk.call())) {
            hold(new Wire.Skipped(chunk.ticket()));
            return;
        }
        long start = System.nanoTime();
        List<Object> items = chunk.items();
        int size = items.size();
        List<Object> results = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            /* A clock read every 8 items and a look at the pipe every 10 ms: next to nothing for
               quick functions, and a cancelled slow chunk stops within 8 items. */
            if ((i & 7) == 7 && cancelled(chunk.call())) {
                hold(new Wire.Skipped(chunk.ticket()));
                return;
            }
            if (!held.isEmpty() && System.nanoTime() - heldSince >= BATCH_NANOS) {
                flush();
            }
            try {
                results.add(function.apply(items.get(i)));
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw (VirtualMachineError) e;
                }
                fail(chunk.call(), chunk.ticket(), i, e);
                return;
            }
        }
        long nanos = System.nanoTime() - start;
        if (size <= BATCH && nanos < BATCH_NANOS / 4) {
            hold(new Wire.Done(chunk.ticket(), 0, results, nanos));
        } else {
            flush();
            send(chunk.call(), chunk.ticket(), 0, results, nanos);
        }
    }

    /** Sends the replies held, if any; before the worker waits for work, and before a failure. */
    void flush() {
        if (held.isEmpty()) {
            return;
        }
        List<Object> replies = new ArrayList<>(held);
        held.clear();
        try {
            messenger.sendReply(replies.size() == 1 ? replies.get(0) : new Wire.Batch(replies), Wire.TASKS);
        } catch (FrameTooLongException | SerializationException e) {
            for (Object reply : replies) { // one at a time, each split as it needs
                if (reply instanceof Wire.Done done) {
                    send(-1, done.ticket(), done.offset(), done.results(), done.nanos());
                } else {
                    messenger.sendReply(reply, Wire.TASKS);
                }
            }
        }
    }

    /** Holds a small reply to go with others, sending what is held when it is time to. */
    private void hold(Object reply) {
        if (held.isEmpty()) {
            heldSince = System.nanoTime();
        }
        held.add(reply);
        if (!batching || held.size() >= BATCH || System.nanoTime() - heldSince >= BATCH_NANOS) {
            flush();
        }
    }

    /**
     * Sends results, halving them until each half fits in a frame and serializes; a single
     * result that does not is reported as its item's failure.
     *
     * @return whether everything was sent
     */
    private boolean send(long call, long ticket, int offset, List<Object> results, long nanos) {
        try {
            messenger.sendReply(new Wire.Done(ticket, offset, results, nanos), Wire.TASKS);
            return true;
        } catch (FrameTooLongException | SerializationException e) {
            if (results.size() == 1) {
                Object result = results.get(0);
                fail(call, ticket, offset, new SerializationException("The item's result ("
                        + (result == null ? "null" : result.getClass().getName()) + ") cannot be sent to the host: "
                        + e.getMessage(), e));
                return false;
            }
            int half = results.size() / 2;
            return send(call, ticket, offset, new ArrayList<>(results.subList(0, half)), nanos)
                    && send(call, ticket, offset + half, new ArrayList<>(results.subList(half, results.size())), 0);
        }
    }

    /**
     * Reports a failed item: first which, then the exception, in that order, so that the host
     * has the former in hand or queued when a receive throws the latter. The call's other
     * chunks are skipped from now on: the host fails the whole call.
     */
    private void fail(long call, long ticket, int offset, Throwable error) {
        remember(call);
        flush();
        messenger.sendReply(new Wire.Failed(ticket, offset), Wire.TASKS);
        messenger.sendError(error);
    }

    /** Whether a call is cancelled, reading the cancellations that arrived if it is time to. */
    private boolean cancelled(long call) {
        long now = System.nanoTime();
        if (now - lastCheck >= CHECK_NANOS) {
            lastCheck = now;
            if (messenger.available(Wire.CONTROL) > 0) {
                for (Object cancel : messenger.receiveAvailable(Wire.CONTROL)) {
                    remember(((Wire.Cancel) cancel).call());
                }
            }
        } else if (cancelled.isEmpty()) {
            return false;
        }
        return cancelled.contains(call);
    }

    private void remember(long call) {
        if (call >= 0 && cancelled.add(call) && cancelled.size() > CANCELLED_KEPT) {
            Iterator<Long> eldest = cancelled.iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
