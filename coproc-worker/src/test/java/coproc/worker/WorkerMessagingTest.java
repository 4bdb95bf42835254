package coproc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Message;
import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.WorkerDiedException;
import coproc.api.WorkerTarget;
import coproc.messenger.MessengerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The semantic suite that every launcher passes: the same targets and the same assertions for
 * a worker JVM ({@code jvm}) and a worker thread ({@code thread}). Every target here is defined
 * in this test class, so the {@code jvm} cases also show that a target from the user's own
 * module loads in a worker JVM.
 */
class WorkerMessagingTest {

    /** A hang guard for receives, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Answers a request with a reply and anything else with a plain message. */
    static void echo(Messenger messenger, Void unused) {
        while (true) {
            Message<Object> message = messenger.receiveMessageBlocking(null);
            if (message.request()) {
                messenger.sendReply(message.payload());
            } else {
                messenger.sendNoRequest(message.payload());
            }
        }
    }

    /** Replies on the channel each message came from: the default channel names the channel to serve next. */
    static void channelEcho(Messenger messenger, Void unused) {
        while (true) {
            Object channel = messenger.receiveBlocking();
            Message<Object> message = messenger.receiveMessageBlocking(channel);
            messenger.sendReply(List.of(message.payload(), message.request()), channel);
        }
    }

    static void failOnFirstMessage(Messenger messenger, Void unused) {
        String data = messenger.receiveBlocking();
        throw new TargetFailedException("the target refused " + data);
    }

    static void obeyCloseRequest(Messenger messenger, Void unused) {
        try {
            while (true) {
                messenger.sendReply(messenger.receiveBlocking());
            }
        } catch (ResourceRequestedCloseException e) {
            messenger.sendNoRequest("closing");
        }
    }

    /** An unchecked exception the host has too, so it arrives as itself. */
    public static class TargetFailedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public TargetFailedException(String message) {
            super(message);
        }
    }

    /** A target with state: travels to the worker as an object. */
    record Prefixer(String prefix) implements WorkerTarget<Integer> {

        private static final long serialVersionUID = 1L;

        @Override
        public void run(Messenger messenger, Integer argument) {
            while (true) {
                messenger.sendReply(prefix + messenger.receiveBlocking() + argument);
            }
        }
    }

    private static WorkerResource<Void> resource(WorkerTarget<Void> target, String launcher) {
        return new WorkerResource<>(target, WorkerOptions.defaults().withLauncher(launcher));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldPassTheOriginalWorkerCase(String launcher) {
        try (var worker = resource(WorkerMessagingTest::echo, launcher).start()) {
            Messenger messenger = worker.messenger();

            for (int i = 0; i < 10; i++) {
                messenger.sendNoRequest(i);
            }
            await().atMost(PATIENCE).until(messenger::available, n -> n == 10);
            assertEquals(IntStream.range(0, 10).boxed().toList(), messenger.receiveAvailable());

            for (int i = 0; i < 10; i++) {
                messenger.sendRequest(i);
                assertEquals(i + 1, messenger.remaining());
            }
            List<Integer> replies = new ArrayList<>();
            for (Integer reply : messenger.<Integer>receiveRemaining()) {
                replies.add(reply);
            }
            assertEquals(IntStream.range(0, 10).boxed().toList(), replies);
            assertEquals(0, messenger.remaining());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldCountRequestsAndReplies(String launcher) throws Exception {
        try (var worker = resource(WorkerMessagingTest::echo, launcher).start()) {
            Messenger messenger = worker.messenger();

            messenger.sendRequestMultiple(List.of("a", "b", "c"));
            assertEquals(3, messenger.requestsSent(null));
            assertEquals(3, messenger.remaining());

            Message<String> first = messenger.receiveMessageBlocking(null, PATIENCE);
            assertEquals(new Message<>("a", null, false, true, Double.NEGATIVE_INFINITY), first);
            assertEquals("b", messenger.receiveBlocking(PATIENCE));
            assertEquals("c", messenger.receiveBlocking(PATIENCE));

            assertEquals(0, messenger.remaining());
            assertEquals(3, messenger.repliesReceived(null));
            assertEquals(3, messenger.messagesReceived(null));
            assertEquals(3, messenger.messagesSent(null));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldKeepChannelsApart(String launcher) throws Exception {
        try (var worker = resource(WorkerMessagingTest::channelEcho, launcher).start()) {
            Messenger messenger = worker.messenger();

            messenger.sendRequest("on a", "a");
            messenger.sendNoRequest("on 7", 7);
            // The worker serves channel 7 first: the message on "a" waits in its queue meanwhile.
            messenger.sendNoRequest(7);
            messenger.sendNoRequest("a");

            assertEquals(List.of("on 7", false), messenger.receiveBlocking(7, PATIENCE));
            assertEquals(List.of("on a", true), messenger.receiveBlocking("a", PATIENCE));
            assertEquals(0, messenger.remaining("a"));
            assertEquals(1, messenger.requestsSent("a"));
            assertEquals(0, messenger.requestsSent(7));
            assertEquals(1, messenger.repliesReceived(7));
            assertEquals(0, messenger.available());
            assertEquals(0, messenger.available(7));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldThrowTheTargetsExceptionAsItsOwnType(String launcher) {
        try (var worker = resource(WorkerMessagingTest::failOnFirstMessage, launcher).start()) {
            Messenger messenger = worker.messenger();
            messenger.sendRequest("work");

            TargetFailedException failure = assertThrows(TargetFailedException.class,
                    () -> messenger.receiveBlocking(PATIENCE));
            assertEquals("the target refused work", failure.getMessage());

            WorkerDiedException died = assertThrows(WorkerDiedException.class, () -> messenger.receiveBlocking(PATIENCE));
            assertTrue(died.exitCode().isPresent(), died::getMessage);
            assertTrue(died.exitCode().getAsInt() != 0, died::getMessage);
            await().atMost(PATIENCE).until(() -> !worker.isAlive());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldJoinAWorkerThatObeysTheCloseRequest(String launcher) throws Exception {
        try (var worker = resource(WorkerMessagingTest::obeyCloseRequest, launcher).start()) {
            Messenger messenger = worker.messenger();
            messenger.sendRequest("before close");
            assertEquals("before close", messenger.receiveBlocking(PATIENCE));

            assertTimeoutPreemptively(PATIENCE, () -> worker.join());

            assertFalse(worker.isAlive());
            // The messenger stays usable for what the worker sent before it ended.
            assertEquals("closing", messenger.receiveBlocking(PATIENCE));
            WorkerDiedException ended = assertThrows(WorkerDiedException.class, () -> messenger.receiveBlocking(PATIENCE));
            assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
        }
    }

    static Stream<Arguments> launchersAndKinds() {
        return Stream.of("jvm", "thread").flatMap(launcher -> Stream.of(MessengerKind.values())
                .flatMap(kind -> Stream.of("kryo", "java").map(serializer -> Arguments.of(launcher, kind, serializer))));
    }

    @ParameterizedTest
    @MethodSource("launchersAndKinds")
    void shouldPassTheStartArgumentToATargetObject(String launcher, MessengerKind kind, String serializer)
            throws Exception {
        WorkerOptions options = WorkerOptions.defaults().withLauncher(launcher).withMessengerKind(kind)
                .withSerializer(serializer);
        try (var worker = new WorkerResource<>(new Prefixer(">"), options).start(42)) {
            Messenger messenger = worker.messenger();
            messenger.sendRequest("x");
            messenger.sendRequest("y");

            assertEquals(">x42", messenger.receiveBlocking(PATIENCE));
            assertEquals(">y42", messenger.receiveBlocking(PATIENCE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "thread"})
    void shouldRunASerializableLambdaWithWhatItCaptured(String launcher) throws Exception {
        String suffix = " (captured)";
        WorkerTarget<String> target = (messenger, argument) -> messenger.sendNoRequest(argument + suffix);
        try (var worker = new WorkerResource<>(target, WorkerOptions.defaults().withLauncher(launcher))
                .start("started")) {
            assertEquals("started (captured)", worker.messenger().receiveBlocking(PATIENCE));
            WorkerDiedException ended = assertThrows(WorkerDiedException.class,
                    () -> worker.messenger().receiveBlocking(PATIENCE));
            assertEquals(0, ended.exitCode().orElse(-1), ended::getMessage);
        }
    }
}
