package coproc.messenger.internal;

import coproc.api.CoprocException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * Waits that end at a deadline, a {@link System#nanoTime()} value where {@link Long#MAX_VALUE}
 * means never: turning a timeout into one, and taking a lock before one.
 */
public final class Deadlines {

    private Deadlines() {
    }

    /**
     * Returns the deadline of a timeout that starts now.
     *
     * @param timeout the timeout; a year or more counts as none
     * @return the deadline, or {@link Long#MAX_VALUE}
     */
    public static long of(Duration timeout) {
        if (timeout.compareTo(Duration.ofDays(365)) > 0) {
            return Long.MAX_VALUE; // as good as for ever, and no overflow
        }
        long nanos = timeout.toNanos();
        return nanos <= 0 ? System.nanoTime() : System.nanoTime() + nanos;
    }

    /**
     * Takes a lock, waiting at most until the deadline.
     *
     * @param lock the lock
     * @param deadline the deadline, or {@link Long#MAX_VALUE}
     * @return {@code true} if taken
     * @throws CoprocException if the thread is interrupted; its flag stays set
     */
    public static boolean lock(Lock lock, long deadline) {
        try {
            if (deadline == Long.MAX_VALUE) {
                lock.lockInterruptibly();
                return true;
            }
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoprocException("Interrupted while waiting for a message");
        }
    }
}
