package coproc.messenger;

import coproc.api.CoprocException;
import coproc.messenger.internal.Deadlines;
import coproc.messenger.internal.Pipe;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a messenger's receiving threads share its pipe: they take turns at the channel queues
 * (the receive lock, held only while draining and popping, never while waiting), and one of
 * the waiting threads at a time waits on the pipe for news while the others wait for it to
 * say that news came. So a receive whose message arrives while another thread waits on
 * another channel returns at once, and a timed receive returns within its timeout whatever
 * other threads do.
 *
 * <p>Lock order: the receive lock before the pipe's read lock; the pipe is waited on with the
 * receive lock released.
 */
final class ReceiveTurns {

    /** Guards the channel queues of the messenger, and {@link #pipeWaiter}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the pipe waiter comes back: what it brought may be for another thread. */
    private final Condition news = lock.newCondition();
    private final Pipe pipe;
    /** Whether a thread waits on the pipe now; guarded by {@link #lock}. */
    private boolean pipeWaiter;

    ReceiveTurns(Pipe pipe) {
        this.pipe = pipe;
    }

    /**
     * Takes the receive lock, waiting at most until the deadline.
     *
     * @param deadline a {@link System#nanoTime()} or {@link Long#MAX_VALUE}
     * @return {@code true} if taken
     * @throws CoprocException if the thread is interrupted; its flag stays set
     */
    boolean lock(long deadline) {
        return Deadlines.lock(lock, deadline);
    }

    /**
     * Whether a thread waits on the pipe now. While one does, only it reads the socket: another
     * thread that read frames into the queues behind its back would leave it waiting for frames
     * while its message sits in a queue. The caller holds the receive lock.
     *
     * @return {@code true} if a thread waits on the pipe
     */
    boolean someoneWaitsOnPipe() {
        return pipeWaiter;
    }

    /** Takes the receive lock only if no other thread holds it. */
    boolean tryLock() {
        return lock.tryLock();
    }

    /** Releases the receive lock. */
    void unlock() {
        lock.unlock();
    }

    /**
     * Waits, with the receive lock held on entry and on return, until something may have come
     * for the caller: either it waits on the pipe itself (if no other thread does), or it waits
     * for the thread that does to come back. The caller then drains and looks again.
     *
     * @param deadline a {@link System#nanoTime()} or {@link Long#MAX_VALUE}
     * @return {@code false} if the deadline passed first
     * @throws CoprocException if the thread is interrupted; its flag stays set
     */
    boolean awaitNews(long deadline) {
        if (!pipeWaiter) {
            pipeWaiter = true;
            lock.unlock();
            try {
                return pipe.awaitFrames(deadline);
            } finally {
                lock.lock();
                pipeWaiter = false;
                news.signalAll();
            }
        }
        try {
            if (deadline == Long.MAX_VALUE) {
                news.await();
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            news.awaitNanos(left);
            return true; // the caller looks again; its next wait returns false if the deadline has passed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoprocException("Interrupted while waiting for a message");
        }
    }
}
