package coproc.messenger.internal;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The pipe's one waiting policy: how a thread that found nothing to do waits for the next
 * thing, in two phases.
 *
 * <ol>
 *   <li><b>Poll.</b> For up to {@link #pollNanos()} it checks again and again, yielding its CPU
 *       between checks, so that something that comes quickly (a reply, the next frame of a
 *       burst) is taken without a wake-up, which costs tens of microseconds. A receive polls
 *       only while its polls pay ({@link PollHistory}): not when the CPUs are oversubscribed.</li>
 *   <li><b>Block.</b> Then it blocks, using no CPU: in a selector or parked until woken where
 *       something will wake it ({@link #await}), or, where nothing will, parked for a pause
 *       that doubles from {@link #minPauseNanos()} up to {@link #maxPauseNanos()}
 *       ({@link #nextPause}), as Agrona's {@code BackoffIdleStrategy} does.</li>
 * </ol>
 *
 * <p>The places that wait are given a policy: a receive waiting for a frame
 * ({@link #RECEIVE}, or {@link #RECEIVE_REMOTE} across machines), the flusher waiting for the next frame of a burst ({@link #FLUSH}), and
 * the reader thread waiting for a receive to give the socket back ({@link #HANDOVER}).
 * Immutable and thread-safe.
 */
final class WaitPolicy {

    /** A receive waiting for its message: polls 50 µs, then blocks until woken. */
    static final WaitPolicy RECEIVE = new WaitPolicy(50_000, 0, 0);
    /**
     * A receive on a pipe to another machine: blocks at once. Its replies take longer than a
     * poll would wait, and polling takes the CPU that the forwarding processes (ssh, sshd) need
     * on the way: measured over ssh on 2 cores, a yield-polling echo took twice as long as a
     * blocking one.
     */
    static final WaitPolicy RECEIVE_REMOTE = new WaitPolicy(0, 0, 0);
    /** The flusher between the frames of a burst: polls 100 µs, then the burst is over. */
    static final WaitPolicy FLUSH = new WaitPolicy(100_000, 0, 0);
    /**
     * The reader thread while a receive reads the socket: no polling, pauses from 1 ms up to
     * 64 ms, so that a long receive costs next to nothing.
     */
    static final WaitPolicy HANDOVER = new WaitPolicy(0, 1_000_000, 64_000_000);

    private final long pollNanos;
    private final long minPauseNanos;
    private final long maxPauseNanos;

    WaitPolicy(long pollNanos, long minPauseNanos, long maxPauseNanos) {
        if (pollNanos < 0 || minPauseNanos < 0 || maxPauseNanos < minPauseNanos) {
            throw new IllegalArgumentException("bad wait policy: poll " + pollNanos + " ns, pauses " + minPauseNanos
                    + " to " + maxPauseNanos + " ns");
        }
        this.pollNanos = pollNanos;
        this.minPauseNanos = minPauseNanos;
        this.maxPauseNanos = maxPauseNanos;
    }

    /** What a waiting thread waits for; checking may do work, a non-blocking read say. */
    @FunctionalInterface
    interface Check {

        /**
         * Checks once, without blocking.
         *
         * @return {@code true} once what is awaited is there
         * @throws IOException if checking fails
         */
        boolean done() throws IOException;
    }

    /** How a waiting thread blocks once polling is over; it may return early, when woken. */
    @FunctionalInterface
    interface Blocker {

        /**
         * Blocks for at most the given time.
         *
         * @param nanos the longest time to block, or {@link Long#MAX_VALUE} for no limit
         * @throws IOException if blocking fails (a selector that was closed, say)
         */
        void block(long nanos) throws IOException;
    }

    /** Blocks by parking the thread; {@link LockSupport#unpark} wakes it. */
    static final Blocker PARK = nanos -> {
        if (nanos == Long.MAX_VALUE) {
            LockSupport.park();
        } else {
            LockSupport.parkNanos(nanos);
        }
    };

    /**
     * Waits until the check succeeds, the deadline passes, or the caller gives up: polls, then
     * blocks, checking again after each wake-up.
     *
     * @param check what is awaited
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @param giveUp asked before each block; {@code true} ends the wait
     * @param blocker how to block
     * @return {@code true} if the check succeeded, {@code false} if the wait ended first
     * @throws IOException what the check or the blocker throws
     */
    boolean await(Check check, long deadline, BooleanSupplier giveUp, Blocker blocker) throws IOException {
        return await(check, deadline, giveUp, blocker, null, true);
    }

    /**
     * As {@link #await(Check, long, BooleanSupplier, Blocker)}, polling only when the history
     * of the place that waits says polling pays, and recording how the poll went.
     *
     * @param history the waiting place's poll history, or {@code null} to poll always
     * @param checkFirst {@code false} if the caller has just checked: the wait starts by
     *     yielding, or by blocking, which needs a blocker that returns at once when what is
     *     awaited is already there (a selector does; parking does not)
     */
    boolean await(Check check, long deadline, BooleanSupplier giveUp, Blocker blocker, PollHistory history,
            boolean checkFirst) throws IOException {
        if (checkFirst && check.done()) {
            return true;
        }
        if (pollNanos > 0 && (history == null || history.shouldPoll())) {
            long pollEnd = System.nanoTime() + pollNanos;
            while (System.nanoTime() - pollEnd < 0) {
                Thread.yield();
                if (check.done()) {
                    if (history != null) {
                        history.polled(true);
                    }
                    return true;
                }
            }
            if (history != null) {
                history.polled(false);
            }
        }
        while (true) {
            long left = Long.MAX_VALUE;
            if (deadline != Long.MAX_VALUE) {
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
            }
            if (giveUp.getAsBoolean()) {
                return false;
            }
            blocker.block(left);
            if (check.done()) {
                return true;
            }
        }
    }

    /**
     * Returns how long to pause next where nothing will wake the thread: double the previous
     * pause, within the policy's bounds.
     *
     * @param previous the previous pause, or 0 for the first
     * @return the next pause in nanoseconds
     */
    long nextPause(long previous) {
        return Math.min(Math.max(2 * previous, minPauseNanos), maxPauseNanos);
    }

    /** Returns the first pause where nothing will wake the thread. */
    long minPauseNanos() {
        return minPauseNanos;
    }

    @Override
    public String toString() {
        return "WaitPolicy[poll " + pollNanos + " ns, pauses " + minPauseNanos + " to " + maxPauseNanos + " ns]";
    }
}
