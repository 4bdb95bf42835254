package coproc.messenger.internal;

import coproc.api.CoprocException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What the reader has decoded and no receive has drained yet: {@link InboxItem}s in arrival
 * order, then, once the stream has ended, its end. One producer at a time (whoever holds the
 * pipe's read lock), one consumer at a time (the receiving thread, under the messenger's
 * receive lock). A consumer that waits follows {@link WaitPolicy#RECEIVE} and is unparked by
 * the producer.
 */
public final class Inbox {

    private final ConcurrentLinkedQueue<InboxItem> items = new ConcurrentLinkedQueue<>();
    /** Set once, after the last item: what receives throw once every item has been taken. */
    private volatile RuntimeException end;
    private volatile Thread waiter;
    /** Whether the consumer's polls have been paying; used by the one consumer only. */
    private final PollHistory polls = new PollHistory();

    Inbox() {
    }

    /** Adds an item and wakes a waiting consumer. */
    void add(InboxItem item) {
        items.offer(item);
        wake();
    }

    /** Records the end of the stream, after every item; the first end counts. */
    void end(RuntimeException error) {
        if (end == null) {
            end = error;
        }
        wake();
    }

    private void wake() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Takes the oldest item.
     *
     * @return the item, or {@code null} if there is none
     */
    public InboxItem poll() {
        return items.poll();
    }

    /**
     * Returns whether no item is waiting.
     *
     * @return {@code true} if {@link #poll()} would return {@code null}
     */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Returns what ended the stream, once every item before the end has been taken.
     *
     * @return the end, or {@code null} while the stream goes on or items wait
     */
    public RuntimeException finished() {
        RuntimeException e = end; // read first: every item came before it
        return e != null && items.isEmpty() ? e : null;
    }

    /** Package access for tests: how many items wait. */
    int size() {
        return items.size();
    }

    /** Package access for tests: whether the end has been recorded, items waiting or not. */
    boolean ended() {
        return end != null;
    }

    /** Whether there is an item or the end to act on. */
    boolean hasNews() {
        return !items.isEmpty() || end != null;
    }

    /**
     * Waits until an item or the end is there, as {@link WaitPolicy#RECEIVE} says.
     *
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @return {@code true} if there is something, {@code false} if the deadline passed
     * @throws CoprocException if the thread is interrupted; its interrupt flag stays set
     */
    boolean await(long deadline) {
        if (hasNews()) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            return WaitPolicy.RECEIVE.await(this::hasNews, deadline, Inbox::interrupted, WaitPolicy.PARK, polls, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // neither the check nor parking does I/O
        } finally {
            waiter = null;
        }
    }

    private static boolean interrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CoprocException("Interrupted while waiting for a message");
        }
        return false;
    }
}
