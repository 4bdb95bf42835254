package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import coproc.api.Message;
import coproc.api.Messenger;
import coproc.messenger.TestPayloads.ChannelKey;
import coproc.messenger.TestPayloads.Channels;
import coproc.messenger.TestPayloads.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 100,000 messages over 8 channels with mixed priorities, sent by 4 threads at once on one
 * messenger and received by one thread on the other: every message arrives exactly once; a
 * multi messenger keeps each sender's order per channel, a priority messenger keeps each
 * sender's order per channel and priority, and returns each batch in ascending priority.
 */
class OrderingUnderVolumeTest {

    private static final int SENDERS = 4;
    private static final int PER_SENDER = 25_000;
    private static final double[] PRIORITIES = {-1.5, 0, 0, 2.5, Double.POSITIVE_INFINITY};
    private static final List<Object> CHANNELS = Arrays.asList(null, "a", "b", 1, 2, Channels.DATA,
            Channels.WARNING, new ChannelKey("key", 7));

    /** Which channel a sender's message goes to: scattered, but known to both sides. */
    private static Object channelOf(int sender, int sequence) {
        return CHANNELS.get((sequence * 31 + sender * 7 + sequence / 3) % CHANNELS.size());
    }

    private static double priorityOf(int sender, int sequence) {
        return PRIORITIES[(sequence * 13 + sender) % PRIORITIES.length];
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    @Timeout(60)
    void shouldDeliverEveryMessageOnceInEachSendersOrder(MessengerKind kind, String serializer) throws Exception {
        try (var pair = kind.newPair(options(serializer))) {
            Messenger host = pair.host();
            Messenger worker = pair.worker();
            CompletableFuture<List<Message<Item>>> receiving =
                    CompletableFuture.supplyAsync(() -> receiveAll(worker, SENDERS * PER_SENDER, kind));

            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            try {
                CyclicBarrier start = new CyclicBarrier(SENDERS);
                List<Future<?>> sent = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    sent.add(senders.submit(() -> {
                        start.await();
                        for (int i = 0; i < PER_SENDER; i++) {
                            Item item = new Item(sender, i, priorityOf(sender, i));
                            if (i % 2 == 0) {
                                host.sendRequest(item, channelOf(sender, i));
                            } else {
                                host.sendNoRequest(item, channelOf(sender, i));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                senders.shutdownNow();
            }

            List<Message<Item>> received = receiving.get(60, TimeUnit.SECONDS);
            check(received, kind);

            long sentTotal = 0;
            for (Object channel : CHANNELS) {
                assertEquals(host.messagesSent(channel), worker.messagesReceived(channel), "count on " + channel);
                sentTotal += host.messagesSent(channel);
            }
            assertEquals(SENDERS * PER_SENDER, sentTotal);
            assertEquals(SENDERS * PER_SENDER / 2, CHANNELS.stream().mapToLong(host::requestsSent).sum());
        }
    }

    @ParameterizedTest
    @MethodSource("coproc.messenger.SeedMessagingTest#kindsAndSerializers")
    @Timeout(60)
    void shouldSerialiseConcurrentReceivesSoThatEachMessageIsReceivedOnce(MessengerKind kind, String serializer)
            throws Exception {
        int count = 2_000;
        try (var pair = kind.newPair(options(serializer))) {
            List<CompletableFuture<List<Integer>>> receivers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                receivers.add(CompletableFuture.supplyAsync(() -> {
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < count / 2; i++) {
                        got.add(pair.worker().receiveBlocking());
                    }
                    return got;
                }));
            }
            for (int i = 0; i < count; i++) {
                pair.host().sendNoRequest(i);
            }
            List<Integer> all = new ArrayList<>();
            for (CompletableFuture<List<Integer>> receiver : receivers) {
                List<Integer> got = receiver.get(60, TimeUnit.SECONDS);
                for (int i = 1; i < got.size(); i++) {
                    assertTrue(got.get(i - 1) < got.get(i), "each receiver sees the queue's order");
                }
                all.addAll(got);
            }
            all.sort(null);
            assertEquals(java.util.stream.IntStream.range(0, count).boxed().toList(), all);
            assertEquals(count, pair.worker().messagesReceived(null));
        }
    }

    /**
     * Receives until {@code total} messages have come, popping every channel in turn; waits only
     * when every queue is empty. A priority messenger's batches must come in ascending priority.
     */
    private static List<Message<Item>> receiveAll(Messenger worker, int total, MessengerKind kind) {
        List<Message<Item>> received = new ArrayList<>(total);
        while (received.size() < total) {
            int popped = 0;
            for (Object channel : CHANNELS) {
                List<Message<Item>> batch = worker.receiveAvailableMessages(channel);
                if (kind == MessengerKind.PRIORITY) {
                    for (int i = 1; i < batch.size(); i++) {
                        assertTrue(batch.get(i - 1).priority() <= batch.get(i).priority(),
                                "a priority messenger's batch is in ascending priority");
                    }
                }
                received.addAll(batch);
                popped += batch.size();
            }
            if (popped == 0 && CHANNELS.stream().allMatch(channel -> worker.queueSize(channel) == 0)
                    && !worker.awaitAvailable(PATIENCE)) {
                fail("only " + received.size() + " of " + total + " messages arrived");
            }
        }
        return received;
    }

    private static void check(List<Message<Item>> received, MessengerKind kind) {
        assertEquals(SENDERS * PER_SENDER, received.size());
        boolean[][] seen = new boolean[SENDERS][PER_SENDER];
        // The last sequence number seen per (channel, sender), and per priority for a priority messenger.
        Map<List<Object>, Integer> last = new HashMap<>();
        for (Message<Item> message : received) {
            Item item = message.payload();
            if (seen[item.sender()][item.sequence()]) {
                fail("received twice: " + item);
            }
            seen[item.sender()][item.sequence()] = true;
            assertTrue(Objects.equals(channelOf(item.sender(), item.sequence()), message.channel()),
                    "on its own channel: " + message);
            assertEquals(priorityOf(item.sender(), item.sequence()), message.priority(), "its priority: " + message);
            assertEquals(item.sequence() % 2 == 0, message.request());

            List<Object> key = kind == MessengerKind.PRIORITY
                    ? Arrays.asList(message.channel(), item.sender(), message.priority())
                    : Arrays.asList(message.channel(), item.sender());
            Integer previous = last.put(key, item.sequence());
            if (previous != null && previous > item.sequence()) {
                fail("out of order on " + key + ": " + item.sequence() + " after " + previous);
            }
        }
        for (int s = 0; s < SENDERS; s++) {
            for (int i = 0; i < PER_SENDER; i++) {
                assertTrue(seen[s][i], "sender " + s + " message " + i + " arrived");
            }
        }
    }
}
