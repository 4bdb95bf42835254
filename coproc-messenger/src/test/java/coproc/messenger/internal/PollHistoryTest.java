package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PollHistory} and {@link WaitPolicy} together: polls that run out make the next waits
 * block at once, 1, 3, 7 … up to 63 of them; a poll that pays resets that.
 */
class PollHistoryTest {

    @Test
    void shouldBlockAtOnceForMoreWaitsAfterEachPollThatRanOut() {
        PollHistory history = new PollHistory();
        assertTrue(history.shouldPoll(), "a new place polls");
        int[] expected = {1, 3, 7, 15, 31, 63, 63, 63};
        for (int skipped : expected) {
            history.polled(false);
            assertEquals(skipped, history.skipped());
            for (int i = 0; i < skipped; i++) {
                assertFalse(history.shouldPoll(), "wait " + i + " of " + skipped + " blocks at once");
            }
            assertTrue(history.shouldPoll(), "then it polls again");
        }
        assertEquals(PollHistory.MAX_SKIPPED, expected[expected.length - 1]);
    }

    @Test
    void shouldPollOnAfterAPollThatFoundWhatItWaitedFor() {
        PollHistory history = new PollHistory();
        history.polled(false);
        history.polled(false);
        history.polled(true);
        assertEquals(0, history.skipped());
        assertTrue(history.shouldPoll());
        history.polled(false);
        assertEquals(1, history.skipped(), "the count of failures starts again");
    }

    @Test
    void shouldBlockWithoutPollingWhenTheHistorySaysSoAndPollWhenItDoesNot() throws Exception {
        PollHistory history = new PollHistory();
        history.polled(false); // the next wait blocks at once
        AtomicInteger checks = new AtomicInteger();
        AtomicBoolean blocked = new AtomicBoolean();
        WaitPolicy policy = new WaitPolicy(50_000_000, 0, 0);

        assertTrue(policy.await(() -> checks.incrementAndGet() > 0 && blocked.get(), Long.MAX_VALUE, () -> false,
                nanos -> blocked.set(true), history, true));
        assertEquals(2, checks.get(), "one check, the block, one check: no polling");

        checks.set(0);
        blocked.set(false);
        // The next wait polls: what it waits for comes on the fifth check, within the poll.
        assertTrue(policy.await(() -> checks.incrementAndGet() >= 5, Long.MAX_VALUE, () -> false,
                nanos -> blocked.set(true), history, true));
        assertFalse(blocked.get(), "found while polling");
        assertEquals(0, history.skipped(), "a poll that paid");
    }
}
