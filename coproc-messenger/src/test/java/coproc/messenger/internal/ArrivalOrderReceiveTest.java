package coproc.messenger.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import coproc.api.Message;
import coproc.api.PipeClosedException;
import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link MessengerAccess.Bridge#receiveInArrivalOrder}: it returns the next message on its
 * channel and leaves what arrived after that message, close requests and errors too, to the
 * receives that follow; what arrived before it is thrown or queued as any receive would. The
 * host sends as it sends a worker its "go" at the start: the message, then at once the system
 * message. A send that follows another within {@link Pipe#BURST_NANOS} is written by the
 * flusher thread rather than before it returns, so the two need not arrive together; where a
 * test needs them both in the inbox before it receives, the path where one drain meets the
 * message and the signal behind it, it waits for that. This test sits in the internal
 * package because it reads the inbox of a messenger's pipe (through the bridge's package
 * access for tests).
 */
@Timeout(60)
class ArrivalOrderReceiveTest {

    private static final String BOOT = "boot";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /**
     * How long a receive on another thread may wait for a message that is already there: short
     * of the mutation profile's 10 s bound, so that a receive lock left held fails an assertion.
     */
    private static final Duration HANDOVER = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldReturnTheMessageAndLeaveTheCloseRequestBehindItToTheNextReceive(MessengerKind kind) {
        try (var pair = kind.newPair(MessengerOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                pair.host().sendNoRequest("go " + i, BOOT);
                pair.host().sendCloseRequest();
                awaitInInbox(pair.worker(), 2);

                Message<Object> go = MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT);
                assertEquals("go " + i, go.payload());
                assertEquals(BOOT, go.channel());
                assertThrows(ResourceRequestedCloseException.class, () -> pair.worker().receiveBlocking(),
                        "round " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldReturnTheMessageAndLeaveTheErrorBehindItToTheNextReceive(MessengerKind kind) {
        try (var pair = kind.newPair(MessengerOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                pair.host().sendNoRequest("go " + i, BOOT);
                pair.host().sendError(new IllegalStateException("x"));
                awaitInInbox(pair.worker(), 2);

                assertEquals("go " + i, MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> pair.worker().receiveBlocking(), "round " + i);
                assertEquals("x", e.getMessage());
            }
        }
    }

    @Test
    void shouldThrowACloseRequestThatArrivedBeforeTheMessageAndReturnTheMessageNextTime() throws Exception {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendCloseRequest();
            pair.host().sendNoRequest("go", BOOT);
            awaitInInbox(pair.worker(), 2);

            assertThrows(ResourceRequestedCloseException.class,
                    () -> MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT));
            assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
        }
    }

    @Test
    void shouldThrowAnErrorThatArrivedBeforeTheMessageAndReturnTheMessageNextTime() throws Exception {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendError(new IllegalStateException("before"));
            pair.host().sendNoRequest("go", BOOT);
            awaitInInbox(pair.worker(), 2);

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT));
            assertEquals("before", e.getMessage());
            assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
        }
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldQueueMessagesOnOtherChannelsThatArrivedBeforeItInOrder(MessengerKind kind) throws Exception {
        try (var pair = kind.newPair(MessengerOptions.defaults())) {
            pair.host().sendNoRequest("a", "other");
            pair.host().sendNoRequest("b", "other");
            pair.host().sendNoRequest("default");
            pair.host().sendNoRequest("go", BOOT);
            pair.host().sendNoRequest("c", "other");

            assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
            assertEquals("a", pair.worker().receiveBlocking("other", PATIENCE));
            assertEquals("b", pair.worker().receiveBlocking("other", PATIENCE));
            assertEquals("c", pair.worker().receiveBlocking("other", PATIENCE));
            assertEquals("default", pair.worker().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldLeaveLaterMessagesOnItsOwnChannelAndTheCloseRequestAfterThemInOrder() throws Exception {
        try (var pair = MessengerKind.MULTI.newPair(MessengerOptions.defaults())) {
            pair.host().sendNoRequest("go 1", BOOT);
            pair.host().sendNoRequest("go 2", BOOT);
            pair.host().sendCloseRequest();
            awaitInInbox(pair.worker(), 3);

            assertEquals("go 1", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
            assertEquals("go 2", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
            assertThrows(ResourceRequestedCloseException.class, () -> pair.worker().receiveBlocking());
        }
    }

    @Test
    void shouldReturnAMessageQueuedBeforeACloseRequestArrivedAndLeaveTheCloseRequest() throws Exception {
        try (var pair = MessengerKind.MULTI.newPair(MessengerOptions.defaults())) {
            pair.host().sendNoRequest("go", BOOT);
            await().atMost(PATIENCE).until(() -> pair.worker().available(BOOT) == 1); // queued, not received
            pair.host().sendCloseRequest();
            awaitInInbox(pair.worker(), 1); // the reader thread has decoded it

            assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
            assertThrows(ResourceRequestedCloseException.class, () -> pair.worker().receiveBlocking());
        }
    }

    @Test
    void shouldThrowPipeClosedRatherThanWaitWhenTheOtherSideClosesWithoutSending() {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            PipeMessenger worker = pair.worker();
            pair.host().close();

            assertTimeoutPreemptively(PATIENCE, () -> assertThrows(PipeClosedException.class,
                    () -> MessengerAccess.bridge().receiveInArrivalOrder(worker, BOOT)));
        }
    }

    @Test
    void shouldReturnTheMessageThenThrowPipeClosedWhenTheOtherSideClosesAfterSending() {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            PipeMessenger worker = pair.worker();
            pair.host().sendNoRequest("go", BOOT);
            pair.host().close();

            assertTimeoutPreemptively(PATIENCE, () -> {
                assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(worker, BOOT).payload());
                assertThrows(PipeClosedException.class, () -> MessengerAccess.bridge().receiveInArrivalOrder(worker, BOOT));
            });
        }
    }

    @Test
    void shouldLetAnotherThreadReceiveAfterAnArrivalOrderReceiveReturned() throws Exception {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendNoRequest("go", BOOT);
            pair.host().sendNoRequest("next");

            assertEquals("go", MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT).payload());
            assertEquals("next", onAnotherThread(() -> pair.worker().receiveBlocking(HANDOVER)));
        }
    }

    @Test
    void shouldLetAnotherThreadReceiveAfterAnArrivalOrderReceiveThrew() throws Exception {
        try (var pair = MessengerKind.PRIORITY.newPair(MessengerOptions.defaults())) {
            pair.host().sendCloseRequest();
            pair.host().sendNoRequest("next");
            awaitInInbox(pair.worker(), 2);

            assertThrows(ResourceRequestedCloseException.class,
                    () -> MessengerAccess.bridge().receiveInArrivalOrder(pair.worker(), BOOT));
            assertEquals("next", onAnotherThread(() -> pair.worker().receiveBlocking(HANDOVER)));
        }
    }

    /**
     * Runs a timed receive on a thread of its own and returns what it returned: a receive lock
     * that the test thread still held (it is re-entrant, so only another thread sees it) makes
     * that receive throw {@link java.util.concurrent.TimeoutException}.
     */
    private static Object onAnotherThread(Callable<Object> receive) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            return other.submit(receive).get();
        } catch (ExecutionException e) {
            throw new AssertionError("the receive on another thread failed: " + e.getCause(), e.getCause());
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * Waits until the reader thread has decoded this many frames into the inbox of a
     * messenger's pipe, where no receive has drained them yet (nothing receives meanwhile).
     */
    private static void awaitInInbox(PipeMessenger messenger, int frames) {
        Inbox inbox = inboxOf(messenger);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1)).until(() -> inbox.size() == frames);
    }

    /** The inbox of a messenger's pipe: where a decoded frame waits. */
    private static Inbox inboxOf(PipeMessenger messenger) {
        return MessengerAccess.bridge().pipe(messenger).inbox();
    }
}
