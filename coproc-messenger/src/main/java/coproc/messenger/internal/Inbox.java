package coproc.messenger.internal;

import coproc.api.CoprocException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * What has been decoded and no receive has drained yet: data messages and signals, in
 * arrival order. One producer at a time (whoever holds the pipe's read lock), one consumer at
 * a time (the receiving thread, under the messenger's receive lock).
 *
 * <p>Waiting spins briefly before it parks: for {@value #SPIN_NANOS} ns the waiting thread
 * polls, yielding its CPU between polls, so a quick reply is taken without a wake-up; then it
 * parks and uses no CPU until the reader thread unparks it.
 */
public final class Inbox {

    /** Creates an empty inbox. */
    public Inbox() {
    }

    /** How long a waiting receive polls before it parks. */
    static final long SPIN_NANOS = 50_000;

    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
    private volatile Thread waiter;

    void add(Object item) {
        items.offer(item);
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
    public Object poll() {
        return items.poll();
    }

    /**
     * Returns whether an item is waiting.
     *
     * @return {@code true} if {@link #poll()} would return an item
     */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Waits until an item is waiting.
     *
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @return {@code true} if an item is waiting, {@code false} if the deadline passed
     * @throws CoprocException if the thread is interrupted; its interrupt flag stays set
     */
    public boolean await(long deadline) {
        if (!items.isEmpty()) {
            return true;
        }
        long spinEnd = System.nanoTime() + SPIN_NANOS;
        while (System.nanoTime() - spinEnd < 0) {
            Thread.yield();
            if (!items.isEmpty()) {
                return true;
            }
        }
        waiter = Thread.currentThread();
        try {
            while (items.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CoprocException("Interrupted while waiting for a message");
                }
                if (deadline == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
