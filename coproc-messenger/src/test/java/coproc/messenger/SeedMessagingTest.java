package coproc.messenger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.Message;
import coproc.api.Messenger;
import coproc.messenger.TestPayloads.DataMessage;
import coproc.messenger.TestPayloads.WarningMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The messaging examples of the seed document, each on a {@link PriorityMessenger} pair (and a
 * {@link MultiMessenger} pair where the kind matters), with both built-in serializers. The
 * worker side of each example is played by the test on the pair's worker end.
 */
@Timeout(30)
class SeedMessagingTest {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    static MessengerOptions options(String serializer) {
        return MessengerOptions.defaults().withSerializer(serializer);
    }

    static Stream<Arguments> kindsAndSerializers() {
        return Stream.of(MessengerKind.values())
                .flatMap(kind -> Stream.of("kryo", "java").map(serializer -> Arguments.of(kind, serializer)));
    }

    /** The seed's {@code another_echo_process}: replies to {@code count} requests, on its own thread. */
    static CompletableFuture<Void> echoReplies(Messenger worker, int count) {
        return echoReplies(worker, count, null);
    }

    /** Replies to {@code count} requests on a channel, on its own thread. */
    static CompletableFuture<Void> echoReplies(Messenger worker, int count, Object channel) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < count; i++) {
                Object data = worker.receiveBlocking(channel);
                worker.sendReply(data, channel);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldCountRequestsAndRepliesAsTheSeedPrints(String serializer) throws Exception {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger host = pair.host();
            CompletableFuture<Void> worker = echoReplies(pair.worker(), 1);

            assertEquals(0, host.remaining());
            host.sendRequest("hello");
            assertEquals(1, host.remaining());
            assertEquals("hello", host.receiveBlocking());
            assertEquals(0, host.remaining());

            worker.get(10, TimeUnit.SECONDS);
            assertEquals(1, host.requestsSent(null));
            assertEquals(1, host.messagesSent(null));
            assertEquals(1, host.repliesReceived(null));
            assertEquals(1, host.messagesReceived(null));
            assertEquals(0, pair.worker().remaining(), "the worker sent replies, not requests");
            assertEquals(1, pair.worker().messagesSent(null));
            assertEquals(1, pair.worker().messagesReceived(null));
            assertEquals(0, pair.worker().repliesReceived(null), "a request popped is not a reply");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldReportAvailableMessagesAndReceiveThemAsTheSeedPrints(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger host = pair.host();

            assertEquals(0, host.available());
            host.sendRequest("hello");
            assertEquals(0, host.available(), "the worker has not replied yet");

            String request = pair.worker().receiveBlocking();
            pair.worker().sendReply(request);
            await().atMost(PATIENCE).until(() -> host.available() == 1);

            assertEquals(1, host.available());
            assertEquals(List.of("hello"), host.receiveAvailable());
            assertEquals(List.of(), host.receiveAvailable(), "an empty list when nothing is queued");
            assertEquals(0, host.available());
            assertEquals(0, host.remaining());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldSendRequestMultipleAndYieldTheRemainingRepliesLazilyInOrder(String serializer) throws Exception {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger host = pair.host();

            host.sendRequestMultiple(List.of(0, 1, 2));
            assertEquals(3, host.remaining());
            assertEquals(3, host.requestsSent(null));

            Iterable<Integer> remaining = host.receiveRemaining();
            echoReplies(pair.worker(), 3).get(10, TimeUnit.SECONDS);
            await().atMost(PATIENCE).until(() -> host.available() == 3);
            assertEquals(0, host.messagesReceived(null), "nothing is received before iteration starts");
            assertEquals(3, host.remaining());

            List<Integer> got = new ArrayList<>();
            for (int reply : remaining) {
                got.add(reply);
                assertEquals(3 - got.size(), host.remaining(), "each step pops one reply");
            }
            assertEquals(List.of(0, 1, 2), got);
            assertEquals(0, host.remaining());
            assertEquals(0, host.available());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldBlockEachStepOfReceiveRemainingUntilItsReplyArrives(String serializer) throws Exception {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger host = pair.host();
            PriorityMessenger worker = pair.worker();

            host.sendRequestMultiple(List.of("a", "b", "c"), "channel");
            // A different channel: the default channel's iterator yields nothing.
            assertFalse(host.receiveRemaining().iterator().hasNext());

            Iterator<Message<String>> remaining = host.<String>receiveRemainingMessages("channel").iterator();
            for (String request : List.of("a", "b", "c")) {
                // The step waits for news of the pipe: no reply has been sent yet.
                CompletableFuture<Message<String>> step = ConcurrentReceiveTest.waiting(remaining::next);
                assertFalse(step.isDone(), "a step returned before its reply was sent");
                worker.sendReply(worker.receiveBlocking("channel", PATIENCE), "channel");
                assertEquals(new Message<>(request, "channel", false, true, Double.NEGATIVE_INFINITY),
                        step.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
            assertFalse(remaining.hasNext());
            assertThrows(NoSuchElementException.class, remaining::next);
            Iterator<Object> done = host.receiveRemaining("channel").iterator();
            assertFalse(done.hasNext());
            assertThrows(NoSuchElementException.class, done::next);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldReturnTheWarningBeforeTheDataThoughSentAfterIt(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger host = pair.host();
            PriorityMessenger worker = pair.worker();

            // The seed's athird_echo_process, twice: with 1, then with -1.
            host.sendRequest(1);
            int num = worker.receiveBlocking();
            worker.sendReply(new DataMessage(num));
            await().atMost(PATIENCE).until(() -> host.available() == 1);
            assertEquals(List.of(new DataMessage(1, 1)), host.receiveAvailable());

            host.sendRequest(-1);
            num = worker.receiveBlocking();
            worker.sendReply(new DataMessage(num));
            worker.sendNoRequest(new WarningMessage("negative number"));
            await().atMost(PATIENCE).until(() -> host.available() == 2);
            assertEquals(List.of(new WarningMessage("negative number", 0), new DataMessage(-1, 1)),
                    host.receiveAvailable());
            assertEquals(0, host.remaining());

            // receiveBlocking too: of what has arrived, the best priority wins.
            worker.sendReply(new DataMessage(-2));
            worker.sendNoRequest(new WarningMessage("negative number"));
            await().atMost(PATIENCE).until(() -> host.available() == 2);
            assertEquals(new WarningMessage("negative number"), host.receiveBlocking());
            assertEquals(new DataMessage(-2), host.receiveBlocking());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldOrderByAscendingPriorityThenFirstInFirstOut(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            PriorityMessenger worker = pair.worker();
            worker.sendNoRequest(new DataMessage(1, 1));
            worker.sendNoRequest(new WarningMessage("first at 0", 0));
            worker.sendNoRequest(new DataMessage(2, 1));
            worker.sendNoRequest("not prioritized: negative infinity");
            worker.sendNoRequest(new WarningMessage("second at 0", 0));
            worker.sendNoRequest(new DataMessage(3, Double.POSITIVE_INFINITY));
            worker.sendNoRequest(new DataMessage(4, -0.5));
            worker.sendNoRequest(null);

            await().atMost(PATIENCE).until(() -> pair.host().available() == 8);
            List<Message<Object>> got = pair.host().receiveAvailableMessages(null);
            assertEquals(Arrays.asList("not prioritized: negative infinity", null, new DataMessage(4, -0.5),
                    new WarningMessage("first at 0", 0), new WarningMessage("second at 0", 0),
                    new DataMessage(1, 1), new DataMessage(2, 1), new DataMessage(3, Double.POSITIVE_INFINITY)),
                    got.stream().map(Message::payload).toList());
            assertEquals(List.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.5, 0.0, 0.0, 1.0, 1.0,
                    Double.POSITIVE_INFINITY), got.stream().map(Message::priority).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldKeepFirstInFirstOutRegardlessOfPriorityInAMultiMessenger(String serializer) {
        try (var pair = MultiMessenger.newPair(options(serializer))) {
            pair.host().sendRequest(-1);
            int num = pair.worker().receiveBlocking();
            pair.worker().sendReply(new DataMessage(num));
            pair.worker().sendNoRequest(new WarningMessage("negative number"));
            pair.worker().sendNoRequest("not prioritized");

            await().atMost(PATIENCE).until(() -> pair.host().available() == 3);
            List<Message<Object>> got = pair.host().receiveAvailableMessages(null);
            assertEquals(List.of(new DataMessage(-1, 1), new WarningMessage("negative number", 0), "not prioritized"),
                    got.stream().map(Message::payload).toList());
            // The priorities travel with the messages even though they do not reorder them.
            assertEquals(List.of(1.0, 0.0, Double.NEGATIVE_INFINITY), got.stream().map(Message::priority).toList());
            assertEquals(0, pair.host().remaining());
        }
    }

    @ParameterizedTest
    @MethodSource("kindsAndSerializers")
    void shouldCarryTheFlagsChannelAndPriorityOfEachMessage(MessengerKind kind, String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            pair.host().sendRequest(new DataMessage(7), "c");
            pair.host().sendReply("reply");
            pair.host().sendNoRequest(List.of("a", "b"), 3);

            assertEquals(new Message<>(new DataMessage(7), "c", true, false, 1.0),
                    pair.worker().receiveMessageBlocking("c"));
            assertEquals(new Message<>("reply", null, false, true, Double.NEGATIVE_INFINITY),
                    pair.worker().receiveMessageBlocking(null, PATIENCE));
            assertEquals(new Message<>(List.of("a", "b"), 3, false, false, Double.NEGATIVE_INFINITY),
                    pair.worker().receiveMessageBlocking(3));
            assertEquals(1, pair.worker().repliesReceived(null));
            assertEquals(0, pair.worker().repliesReceived("c"));
        }
    }
}
