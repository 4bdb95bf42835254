package coproc.messenger.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.PipeClosedException;
import coproc.messenger.PriorityMessenger;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code awaitAvailable} when a message and the end of the stream are in the inbox together. */
@Timeout(60)
class AwaitAvailableTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void shouldReportDataThatArrivedWithTheEndOfTheStreamThenTheEnd() throws Exception {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            Inbox inbox = MessengerAccess.bridge().pipe(worker).inbox();
            pair.host().sendNoRequest("last");
            pair.host().close();
            await().atMost(PATIENCE).until(() -> inbox.size() == 1 && inbox.ended()); // both wait in the inbox

            assertTrue(worker.awaitAvailable(PATIENCE), "the message came before the end");
            assertEquals(1, worker.available());
            assertEquals("last", worker.receiveBlocking(PATIENCE));
            assertThrows(PipeClosedException.class, () -> worker.awaitAvailable(PATIENCE));
            assertThrows(PipeClosedException.class, worker::awaitAvailable);
        }
    }

    @Test
    void shouldThrowTheEndFromAwaitAvailableWhenNothingCameBeforeIt() {
        try (var pair = PriorityMessenger.newPair()) {
            PriorityMessenger worker = pair.worker();
            Inbox inbox = MessengerAccess.bridge().pipe(worker).inbox();
            pair.host().close();
            await().atMost(PATIENCE).until(inbox::ended);

            assertThrows(PipeClosedException.class, worker::awaitAvailable);
        }
    }
}
