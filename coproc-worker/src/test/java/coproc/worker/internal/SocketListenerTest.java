package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.WorkerStartException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SocketListener#acceptInJvm}, the wait of a thread worker's start, with a stand-in
 * worker that never connects: it gives up at the deadline, or as soon as the worker ends.
 */
class SocketListenerTest {

    /**
     * A hang guard: a wait that has not given up by then never will, far beyond the deadlines
     * below. Not a timing expectation.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private static CompletableFuture<WorkerStartException> accepting(SocketListener listener, StandInProcess worker,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return CompletableFuture.supplyAsync(() -> assertThrows(WorkerStartException.class,
                () -> listener.acceptInJvm(worker, MessengerKind.PRIORITY, MessengerOptions.defaults(),
                        () -> new IllegalStateException("peer lost"), deadline, timeout)));
    }

    @Test
    void shouldGiveUpOnAWorkerThatDoesNotConnectByTheDeadline() throws Exception {
        Path socket;
        try (SocketListener listener = SocketListener.open()) {
            socket = Path.of(listener.settings().get(Bootstrap.SOCKET));
            assertTrue(Files.exists(socket), socket::toString);

            WorkerStartException failure = accepting(listener, new StandInProcess(1), Duration.ofMillis(200))
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertEquals("The worker did not connect within PT0.2S", failure.getMessage());
        }
        assertTrue(Files.notExists(socket) && Files.notExists(socket.getParent()), "the socket and its directory are gone");
    }

    @Test
    void shouldGiveUpAsSoonAsTheWorkerEnds() throws Exception {
        try (SocketListener listener = SocketListener.open()) {
            StandInProcess worker = new StandInProcess(1);
            CompletableFuture<WorkerStartException> failure = accepting(listener, worker, Duration.ofDays(1));

            worker.exit.complete(3);

            assertEquals("The worker exited before it connected (exit code 3)",
                    failure.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).getMessage());
        }
    }
}
