package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.PipeClosedException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Output frames: what one side sends with {@link Pipe#sendOutput} reaches the other side's
 * {@link OutputSink} before any message sent after it can be received, never enters the
 * inbox, and does not end a receive that is waiting for a message.
 */
@Timeout(60)
class OutputFramesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Collects output as the sink is given it, and records how it was ended. */
    private static final class Collected implements OutputSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        volatile int ends;

        @Override
        public synchronized void write(boolean standardError, byte[] bytes, int offset, int length) {
            (standardError ? err : out).write(bytes, offset, length);
        }

        @Override
        public void end() {
            ends++;
        }

        synchronized String text(boolean standardError) {
            return (standardError ? err : out).toString(StandardCharsets.UTF_8);
        }
    }

    private static void print(Pipe pipe, boolean standardError, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        pipe.sendOutput(standardError, bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldGiveTheSinkWhatWasPrintedBeforeAMessageBeforeThatMessageIsReceived(MessengerKind kind) throws Exception {
        Pipe[] pipes = PipeConnector.openPair(MessengerOptions.defaults());
        Collected sink = new Collected();
        pipes[1].output(sink);
        try (PipeMessenger sender = MessengerAccess.bridge().create(kind, pipes[0]);
                PipeMessenger receiver = MessengerAccess.bridge().create(kind, pipes[1])) {
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                print(pipes[0], false, "out " + i + "\n");
                print(pipes[0], true, "err " + i + "\n");
                out.append("out ").append(i).append('\n');
                err.append("err ").append(i).append('\n');
                sender.sendNoRequest(i);
                assertEquals(i, (Integer) receiver.receiveBlocking(PATIENCE));
                assertEquals(out.toString(), sink.text(false), "round " + i);
                assertEquals(err.toString(), sink.text(true), "round " + i);
            }
            assertEquals(0, receiver.available(), "output is not a message");
        }
    }

    @Test
    void shouldKeepABlockingReceiveWaitingThroughOutputFrames() throws Exception {
        Pipe[] pipes = PipeConnector.openPair(MessengerOptions.defaults());
        Collected sink = new Collected();
        pipes[1].output(sink);
        try (PipeMessenger sender = MessengerAccess.bridge().create(MessengerKind.PRIORITY, pipes[0]);
                PipeMessenger receiver = MessengerAccess.bridge().create(MessengerKind.PRIORITY, pipes[1])) {
            List<Object> received = new ArrayList<>();
            Thread receiving = new Thread(() -> received.add(receiver.receiveBlocking()));
            receiving.start();
            for (int i = 0; i < 200; i++) {
                print(pipes[0], false, "x");
            }
            sender.sendNoRequest("after the output");
            receiving.join(PATIENCE.toMillis());
            assertEquals(List.of("after the output"), received, "the receive waited for the message");
            assertEquals("x".repeat(200), sink.text(false));
            assertThrows(TimeoutException.class, () -> receiver.receiveBlocking(Duration.ofMillis(50)),
                    "output frames alone do not make a message");
        }
    }

    @Test
    void shouldEndTheSinkWhenThePipeEnds() {
        Pipe[] pipes = PipeConnector.openPair(MessengerOptions.defaults());
        Collected sink = new Collected();
        pipes[1].output(sink);
        try (PipeMessenger receiver = MessengerAccess.bridge().create(MessengerKind.PRIORITY, pipes[1])) {
            print(pipes[0], false, "last words");
            pipes[0].close();
            assertThrows(PipeClosedException.class, () -> receiver.receiveBlocking(PATIENCE));
            assertEquals("last words", sink.text(false));
            assertTrue(sink.ends >= 1, "ended");
        }
    }
}
