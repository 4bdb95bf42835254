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
 */
final class ChunkRunner {

    /** How often, at most, the runner looks for cancellations while it computes. */
    private static final long CHECK_NANOS = 10_000_000L;
    /** How many cancelled calls it remembers. */
    private static final int CANCELLED_KEPT = 1024;

    private final Messenger messenger;
    private final Set<Long> cancelled = new LinkedHashSet<>();
    private long lastCheck = System.nanoTime();

    ChunkRunner(Messenger messenger) {
        this.messenger = messenger;
    }

    /**
     * Runs one chunk and replies.
     *
     * @param chunk the chunk
     * @param function the function to apply to each item
     * @throws VirtualMachineError other than a stack overflow, thrown by the function: the
     *     worker ends, and the host sends the chunk to another
     */
    void run(Wire.Chunk chunk, Function<Object, Object> function) {
        if (cancelled(chunk.call())) {
            messenger.sendReply(new Wire.Skipped(chunk.ticket()), Wire.TASKS);
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
                messenger.sendReply(new Wire.Skipped(chunk.ticket()), Wire.TASKS);
                return;
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
        send(chunk.call(), chunk.ticket(), 0, results, System.nanoTime() - start);
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
        if (cancelled.add(call) && cancelled.size() > CANCELLED_KEPT) {
            Iterator<Long> eldest = cancelled.iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
