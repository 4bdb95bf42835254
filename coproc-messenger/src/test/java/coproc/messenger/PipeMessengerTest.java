package coproc.messenger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.PipeClosedException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PipeMessenger}'s small calls that pass straight to its pipe: {@code flush} and {@code toString}. */
@Timeout(30)
class PipeMessengerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void shouldFlushAnOpenPipeAndRefuseToFlushAClosedOne() throws TimeoutException {
        try (var pair = PriorityMessenger.newPair()) {
            pair.host().sendNoRequest("sent");
            pair.host().flush();
            assertEquals("sent", pair.worker().receiveBlocking(PATIENCE));

            pair.host().close();
            PipeClosedException e = assertThrows(PipeClosedException.class, () -> pair.host().flush());
            assertEquals("This messenger is closed; it can neither send nor receive", e.getMessage());
        }
    }

    @Test
    void shouldNameItsKindSerializerAndWhetherItIsClosed() {
        try (var pair = MultiMessenger.newPair(MessengerOptions.defaults().withSerializer("java"))) {
            assertEquals("MultiMessenger[Pipe[serializer=java]]", pair.host().toString());

            pair.host().close();
            assertEquals("MultiMessenger[Pipe[serializer=java, closed]]", pair.host().toString());
        }
    }
}
