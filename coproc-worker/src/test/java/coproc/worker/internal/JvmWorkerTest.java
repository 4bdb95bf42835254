package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link JvmWorker} around a small shell process (no JVM): where its output goes, and that a
 * sink which can be closed is closed once its stream has ended.
 */
class JvmWorkerTest {

    /** A hang guard for waits, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    /** Keeps the text it takes and completes {@link #closed} with it when closed. */
    private static final class ClosingSink implements Consumer<String>, AutoCloseable {

        final StringBuilder text = new StringBuilder();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void accept(String piece) {
            text.append(piece);
        }

        @Override
        public synchronized void close() {
            closes.add("closed");
            closed.complete(text.toString());
        }
    }

    private static Process shell(String script) throws IOException {
        return new ProcessBuilder("sh", "-c", script).start();
    }

    @Test
    void shouldCloseEachSinkOnceAfterTheLastTextOfItsStream() throws Exception {
        ClosingSink out = new ClosingSink();
        ClosingSink err = new ClosingSink();
        JvmWorker worker = new JvmWorker(shell("printf 'to out'; printf 'to err' >&2; exit 4"), (byte[]) null,
                out, err);

        assertEquals("to out", out.closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals("to err", err.closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(worker.waitFor(PATIENCE));
        assertEquals(OptionalInt.of(4), worker.exitCode());
        assertEquals("to err", worker.stderrTail());
        assertEquals(List.of("closed"), out.closes);
        assertEquals(List.of("closed"), err.closes);
    }
}
