package coproc.messenger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which thread writes a frame: the sender, for a lone frame and for every frame of a
 * request-reply loop (the flusher would add a thread hop to each round trip); the flusher, in
 * batches, for a stream of frames sent back to back; and the sender again once round trips
 * follow a stream.
 */
@Timeout(60)
class FrameSenderBurstTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static void spacedSend(PipeMessenger host, int value) {
        long until = System.nanoTime() + 20_000;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        host.sendNoRequest(value);
    }

    /** Replies to {@code count} requests with their payload, on its own thread. */
    private static CompletableFuture<Void> echo(PipeMessenger messenger, int count) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                messenger.sendReply(messenger.receiveBlocking());
            }
        }, runnable -> new Thread(runnable, "test-echo").start());
    }

    private static void roundTrips(PipeMessenger host, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            host.sendRequest(i);
            assertEquals(i, (Integer) host.receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldWriteEveryFrameOfARoundTripLoopOnTheSendersThread() throws Exception {
        Pipe[] pipes = PipeConnector.openPair(MessengerOptions.defaults());
        try (PipeMessenger host = MessengerAccess.bridge().create(MessengerKind.PRIORITY, pipes[0]);
                PipeMessenger worker = MessengerAccess.bridge().create(MessengerKind.PRIORITY, pipes[1])) {
            CompletableFuture<Void> echoing = echo(worker, 2_000);
            roundTrips(host, 2_000);
            echoing.get();
            assertEquals(0, pipes[0].flusherBatches(), "the host's flusher wrote requests");
            assertEquals(0, pipes[1].flusherBatches(), "the worker's flusher wrote replies");
        }
    }

    @Test
    void shouldBatchAStreamAndWriteOnTheSendersThreadOnceSendsAreSpacedOut() throws Exception {
        Pipe[] pipes = PipeConnector.openPair(MessengerOptions.defaults());
        try (PipeMessenger host = MessengerAccess.bridge().create(MessengerKind.MULTI, pipes[0]);
                PipeMessenger worker = MessengerAccess.bridge().create(MessengerKind.MULTI, pipes[1])) {
            /* At least 20,000 back to back, and on until the flusher has written a batch (at most
               500,000): in a JVM whose compiler has not reached this code yet, the first sends can
               each take longer than the burst threshold. */
            int stream = 0;
            while (stream < 20_000 || pipes[0].flusherBatches() == 0 && stream < 500_000) {
                host.sendNoRequest(stream++);
            }
            // Sends 20 µs apart, as a sender doing some work between them, from within the flusher's poll.
            long giveUp = System.nanoTime() + PATIENCE.toNanos();
            int spaced = 0;
            while (pipes[0].streaming()) {
                assertTrue(System.nanoTime() - giveUp < 0, "spaced-out sends still batched after " + spaced);
                spacedSend(host, stream + spaced++);
            }
            assertTrue(pipes[0].flusherBatches() > 0, "the stream was batched");
            long batches = pipes[0].flusherBatches();
            for (int i = 0; i < 100; i++) {
                spacedSend(host, stream + spaced++);
            }
            assertEquals(batches, pipes[0].flusherBatches(), "the flusher wrote sends that were spaced out");
            int received = 0;
            while (received < stream + spaced) {
                received += worker.receiveAvailable().size();
                if (received < stream + spaced) {
                    assertTrue(worker.awaitAvailable(PATIENCE), "only " + received + " arrived");
                }
            }
        }
    }
}
