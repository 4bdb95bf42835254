package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.TestPayloads.ChannelKey;
import coproc.messenger.TestPayloads.Channels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Channels: any value with value equality (enum constant, String, Integer, record, and
 * {@code null}, the default) has its own queue and its own counters, as if each were a pipe
 * of its own.
 */
@Timeout(30)
class ChannelTest {

    /** The seed's {@code afourth_echo_process}. */
    private static CompletableFuture<Integer> warningEcho(Messenger worker) {
        return CompletableFuture.supplyAsync(() -> {
            int handled = 0;
            while (true) {
                String data;
                try {
                    data = worker.receiveBlocking(Channels.DATA);
                } catch (ResourceRequestedCloseException e) {
                    return handled;
                }
                handled++;
                if (data.length() < 10) {
                    worker.sendNoRequest("warning: data must be positive", Channels.WARNING);
                }
                worker.sendReply(data, Channels.DATA);
            }
        });
    }

    /** The seed's {@code receive_print_warnings}, returning what it prints. */
    private static List<String> receivePrintWarnings(String message, Messenger messenger) {
        List<String> printed = new ArrayList<>();
        messenger.sendRequest(message, Channels.DATA);
        printed.add("messenger.remaining(Channels.DATA)=" + messenger.remaining(Channels.DATA));
        String data = messenger.receiveBlocking(Channels.DATA);
        printed.add("messenger.remaining(Channels.DATA)=" + messenger.remaining(Channels.DATA));
        for (String warning : messenger.<String>receiveAvailable(Channels.WARNING)) {
            printed.add(warning);
        }
        printed.add(data);
        return printed;
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldRunTheSeedsChannelExampleWithItsOutput(MessengerKind kind, String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            CompletableFuture<Integer> worker = warningEcho(pair.worker());
            List<String> printed = new ArrayList<>();
            printed.addAll(receivePrintWarnings("hello", pair.host()));
            printed.addAll(receivePrintWarnings("world", pair.host()));
            printed.addAll(receivePrintWarnings("hello world!", pair.host()));

            assertEquals(List.of(
                    "messenger.remaining(Channels.DATA)=1",
                    "messenger.remaining(Channels.DATA)=0",
                    "warning: data must be positive",
                    "hello",
                    "messenger.remaining(Channels.DATA)=1",
                    "messenger.remaining(Channels.DATA)=0",
                    "warning: data must be positive",
                    "world",
                    "messenger.remaining(Channels.DATA)=1",
                    "messenger.remaining(Channels.DATA)=0",
                    "hello world!"), printed);

            pair.host().sendCloseRequest();
            assertEquals(3, worker.get(10, TimeUnit.SECONDS));
            assertEquals(3, pair.host().requestsSent(Channels.DATA));
            assertEquals(3, pair.host().repliesReceived(Channels.DATA));
            assertEquals(2, pair.host().messagesReceived(Channels.WARNING));
            assertEquals(0, pair.host().repliesReceived(Channels.WARNING));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldKeepChannelsApartEachWithItsOwnQueueAndCounts(MessengerKind kind, String serializer) {
        // Integer 1 and String "1" are different channels; so are the two enum constants.
        List<Object> channels = Arrays.asList(Channels.DATA, Channels.WARNING, "1", 1, new ChannelKey("key", 1), null);
        try (var pair = kind.newPair(options(serializer))) {
            Messenger host = pair.host();
            Messenger worker = pair.worker();
            for (int c = 0; c < channels.size(); c++) {
                for (int i = 0; i <= c; i++) {
                    host.sendRequest("channel " + c + " request " + i, channels.get(c));
                }
            }
            host.sendNoRequest("one more on the default channel");

            await().atMost(PATIENCE).until(() -> worker.available(null) == channels.size() + 1);
            for (int c = 0; c < channels.size(); c++) {
                Object channel = channels.get(c);
                int requests = c + 1;
                int sent = channel == null ? requests + 1 : requests;
                assertEquals(requests, host.requestsSent(channel), "requests sent on " + channel);
                assertEquals(sent, host.messagesSent(channel), "messages sent on " + channel);
                assertEquals(requests, host.remaining(channel), "remaining on " + channel);
                assertEquals(sent, worker.available(channel), "available on " + channel);
                assertEquals(sent, worker.queueSize(channel), "queued on " + channel);
            }

            // A record channel is found by value: an equal instance, not the same one.
            List<String> byRecord = worker.receiveAvailable(new ChannelKey("key", 1));
            assertEquals(List.of("channel 4 request 0", "channel 4 request 1", "channel 4 request 2",
                    "channel 4 request 3", "channel 4 request 4"), byRecord);
            assertEquals(5, worker.messagesReceived(new ChannelKey("key", 1)));
            assertEquals(0, worker.available(new ChannelKey("key", 2)));

            assertEquals(List.of("channel 2 request 0", "channel 2 request 1", "channel 2 request 2"),
                    worker.receiveAvailable("1"));
            assertEquals(4, worker.available(1), "popping String \"1\" left Integer 1 alone");
            assertEquals(List.of("channel 0 request 0"), worker.receiveAvailable(Channels.DATA));
            assertEquals(2, worker.available(Channels.WARNING));
            assertEquals("channel 5 request 0", worker.receiveBlocking());
            assertEquals(6, worker.available(null));

            // Replies on one channel count on that channel only.
            worker.sendReply("reply", Channels.WARNING);
            worker.sendReply("reply", Channels.WARNING);
            worker.sendReply("reply", 1);
            assertEquals("reply", host.receiveBlocking(Channels.WARNING));
            assertEquals(1, host.remaining(Channels.WARNING));
            assertEquals("reply", host.receiveBlocking(Channels.WARNING));
            assertEquals(0, host.remaining(Channels.WARNING));
            assertEquals("reply", host.receiveBlocking(1));
            assertEquals(3, host.remaining(1));
            assertEquals(0, host.repliesReceived("1"));
            assertEquals(1, host.remaining(Channels.DATA));
            assertEquals(6, host.remaining(null));
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    void shouldReportZeroForAChannelNeverUsed(MessengerKind kind, String serializer) {
        try (var pair = kind.newPair(options(serializer))) {
            assertEquals(0, pair.host().requestsSent("never"));
            assertEquals(0, pair.host().repliesReceived("never"));
            assertEquals(0, pair.host().messagesSent("never"));
            assertEquals(0, pair.host().messagesReceived("never"));
            assertEquals(0, pair.host().remaining("never"));
            assertEquals(0, pair.host().queueSize("never"));
            assertEquals(0, pair.host().available("never"));
            assertEquals(List.of(), pair.host().receiveAvailable("never"));
        }
    }
}
