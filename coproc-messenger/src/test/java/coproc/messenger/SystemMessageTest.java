package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.CoprocException;
import coproc.api.Messenger;
import coproc.api.RemoteWorkerException;
import coproc.api.ResourceRequestedCloseException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * System messages: {@code sendError} and {@code sendCloseRequest} bypass the queues and are
 * thrown by whichever receive drains them, whatever channel it asked about; data queued before
 * them stays queued. Remote exceptions keep their class (when unchecked and present), message,
 * cause chain and stack trace.
 */
@Timeout(30)
class SystemMessageTest {

    /** An unchecked exception of the user's, like the seed's {@code AlreadyPrintingError}. */
    public static class AlreadyPrintingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AlreadyPrintingException(String message) {
            super(message);
        }
    }

    /** An exception that JDK serialization cannot carry: it has a non-serializable field. */
    public static class UnserializableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // deliberately not serializable
        private final Object handle = new Object();

        public UnserializableException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return super.toString() + " holding " + handle.getClass().getName();
        }
    }

    /** Makes the exception on the "worker side", so that its stack trace names this method. */
    private static <T extends Throwable> T raisedOnWorkerSide(T error) {
        error.setStackTrace(new Throwable().getStackTrace());
        return error;
    }

    private static boolean stackNames(Throwable t, String method) {
        return Arrays.stream(t.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(method)
                && frame.getClassName().equals(SystemMessageTest.class.getName()));
    }

    /** The seed's {@code afifth_echo_process}: replies to non-negative data, errors on negative. */
    private static CompletableFuture<Integer> positiveEcho(Messenger worker) {
        return CompletableFuture.supplyAsync(() -> {
            int handled = 0;
            while (true) {
                int data;
                try {
                    data = worker.receiveBlocking();
                } catch (ResourceRequestedCloseException e) {
                    return handled;
                }
                handled++;
                if (data >= 0) {
                    worker.sendReply(data);
                } else {
                    worker.sendError(raisedOnWorkerSide(new IllegalStateException("data must be positive")));
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRaiseTheErrorOnTheOtherSideAndCloseOnRequestAsTheSeedPrints(MessengerKind kind, String serializer)
            throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger host = pair.host();
            CompletableFuture<Integer> worker = positiveEcho(pair.worker());

            host.sendRequest(1);
            assertEquals(1, (int) host.receiveBlocking());

            host.sendRequest(-1);
            IllegalStateException e = assertThrows(IllegalStateException.class, host::receiveBlocking);
            assertEquals("data must be positive", e.getMessage());
            assertTrue(stackNames(e, "raisedOnWorkerSide"), "the worker's stack trace travels with it");
            assertThat(e.getSuppressed()[0].getMessage(), containsString("Sent by the other side of the pipe"));
            assertEquals(1, host.remaining(), "an error is not a reply");

            host.sendCloseRequest();
            assertEquals(2, worker.get(10, TimeUnit.SECONDS), "the worker ended on the close request");
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRaiseACloseRequestOnTheOtherSideAndStayUsable(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.host().sendCloseRequest();
            ResourceRequestedCloseException e = assertThrows(ResourceRequestedCloseException.class,
                    () -> pair.worker().receiveBlocking());
            assertEquals("The other side requested close", e.getMessage());

            pair.host().sendNoRequest("after the close request");
            assertEquals("after the close request", pair.worker().receiveBlocking());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRaiseAUsersUncheckedExceptionAsItsOwnType(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.worker().sendError(raisedOnWorkerSide(new AlreadyPrintingException("already printing")));

            AlreadyPrintingException e = assertThrows(AlreadyPrintingException.class,
                    () -> pair.host().receiveBlocking());
            assertEquals("already printing", e.getMessage());
            assertTrue(stackNames(e, "raisedOnWorkerSide"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRaiseACheckedExceptionAsRemoteWorkerExceptionWithTheOriginalAsCause(MessengerKind kind,
            String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.worker().sendError(raisedOnWorkerSide(new IOException("disk on fire")));

            RemoteWorkerException e = assertThrows(RemoteWorkerException.class, () -> pair.host().receiveBlocking());
            assertEquals("java.io.IOException", e.remoteClassName());
            assertEquals("disk on fire", e.remoteMessage());
            assertEquals("java.io.IOException: disk on fire", e.getMessage());
            IOException cause = assertInstanceOf(IOException.class, e.getCause());
            assertEquals("disk on fire", cause.getMessage());
            assertTrue(stackNames(e, "raisedOnWorkerSide"), "the remote stack trace is the exception's own");
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRaiseANonSerializableExceptionAsRemoteWorkerExceptionWithItsDescription(MessengerKind kind,
            String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.worker().sendError(raisedOnWorkerSide(new UnserializableException("cannot travel",
                    raisedOnWorkerSide(new IllegalArgumentException("the root cause")))));

            RemoteWorkerException e = assertThrows(RemoteWorkerException.class, () -> pair.host().receiveBlocking());
            assertEquals(UnserializableException.class.getName(), e.remoteClassName());
            assertEquals("cannot travel", e.remoteMessage());
            assertEquals(UnserializableException.class.getName() + ": cannot travel", e.getMessage());
            assertTrue(stackNames(e, "raisedOnWorkerSide"));
            // The cause chain is rebuilt from the descriptions.
            RemoteWorkerException cause = assertInstanceOf(RemoteWorkerException.class, e.getCause());
            assertEquals("java.lang.IllegalArgumentException", cause.remoteClassName());
            assertEquals("the root cause", cause.remoteMessage());
            assertTrue(stackNames(cause, "raisedOnWorkerSide"));
            assertNull(cause.getCause());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldPreserveTheCauseChainOfARemoteException(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            pair.worker().sendError(new IllegalStateException("outer",
                    new IOException("middle", new IllegalArgumentException("root"))));

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pair.host().receiveBlocking());
            assertEquals("outer", e.getMessage());
            IOException middle = assertInstanceOf(IOException.class, e.getCause());
            assertEquals("middle", middle.getMessage());
            IllegalArgumentException root = assertInstanceOf(IllegalArgumentException.class, middle.getCause());
            assertEquals("root", root.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowAnErrorFromAReceiveWaitingOnAnotherChannelAndKeepTheDataQueuedBeforeIt(MessengerKind kind,
            String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            CompletableFuture<Object> waitingOnX = CompletableFuture.supplyAsync(() -> worker.receiveBlocking("x"));

            pair.host().sendNoRequest("queued before, default channel");
            pair.host().sendRequest("queued before, channel y", "y");
            pair.host().sendError(new IllegalStateException("data must be positive"));
            pair.host().sendNoRequest("sent after the error");

            ExecutionException e = assertThrows(ExecutionException.class, () -> waitingOnX.get(10, TimeUnit.SECONDS));
            IllegalStateException error = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("data must be positive", error.getMessage());

            await().atMost(PATIENCE).until(() -> worker.available() == 2);
            assertEquals(List.of("queued before, default channel", "sent after the error"), worker.receiveAvailable());
            assertEquals(List.of("queued before, channel y"), worker.receiveAvailable("y"));
            assertEquals(0, worker.available("x"));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldThrowACloseRequestFromWhicheverReceiveDrainsIt(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger worker = pair.worker();
            pair.host().sendNoRequest("queued before", "data");
            pair.host().sendCloseRequest();

            // available() on another channel drains the close request and throws it.
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThrows(ResourceRequestedCloseException.class, () -> worker.available("another channel")));
            assertEquals(List.of("queued before"), worker.receiveAvailable("data"));

            pair.host().sendError(new AlreadyPrintingException("thrown by receiveAvailable"));
            await().atMost(PATIENCE).untilAsserted(() ->
                    assertThrows(AlreadyPrintingException.class, () -> worker.receiveAvailable("data")));
            pair.host().sendCloseRequest();
            assertThrows(ResourceRequestedCloseException.class, () -> worker.awaitAvailable(PATIENCE));
        }
    }

    @Test
    void shouldRefuseANullError() {
        try (var pair = PriorityMessenger.newPair()) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> pair.host().sendError(null));
            assertEquals("error", e.getMessage());
        }
    }

    @Test
    void shouldMarkARemoteExceptionAsSentByTheOtherSide() {
        try (var pair = PriorityMessenger.newPair()) {
            pair.worker().sendError(new IllegalStateException("remote"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pair.host().receiveBlocking());
            assertEquals(1, e.getSuppressed().length);
            assertInstanceOf(CoprocException.class, e.getSuppressed()[0]);
        }
    }
}
