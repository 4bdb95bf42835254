package coproc.messenger.internal;

/**
 * Whether a place that waits should poll before it blocks, from how its recent polls went: a
 * poll that found what it waited for keeps polling on; one that ran out makes the next waits
 * block at once, 1, then 3, 7 … up to {@value #MAX_SKIPPED} of them, before it polls again.
 *
 * <p>Polling pays only when the other side answers within the poll, which needs a CPU for it.
 * When the CPUs are oversubscribed (more busy processes than CPUs: many workers on a small
 * machine), polls run out, and each poll takes CPU time the other side needed: then blocking
 * at once is faster for everyone, as a blocking raw socket is. A quiet pipe whose polls run
 * out because nothing is sent pays one blocked wait before it polls again.
 *
 * <p>Not thread-safe: one waiting thread at a time, as the owner's lock ensures.
 */
final class PollHistory {

    /** The most waits in a row that block without polling. */
    static final int MAX_SKIPPED = 63;

    /** Polls in a row that ran out, up to the cap. */
    private int failures;
    /** Waits left that block without polling. */
    private int skip;

    /**
     * Asks whether this wait should poll; counts the wait if it should not.
     *
     * @return {@code true} to poll, {@code false} to block at once
     */
    boolean shouldPoll() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /**
     * Records how a poll went.
     *
     * @param found {@code true} if it found what it waited for, {@code false} if it ran out
     */
    void polled(boolean found) {
        if (found) {
            failures = 0;
            skip = 0;
        } else {
            failures = Math.min(failures + 1, 6);
            skip = (1 << failures) - 1;
        }
    }

    /** Package access for tests: how many waits in a row will block without polling. */
    int skipped() {
        return skip;
    }
}
