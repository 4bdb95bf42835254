package coproc.messenger.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A messenger's counters, per channel: requests sent, replies received, messages sent and
 * received. Thread-safe; counting a send allocates nothing once its channel has counters.
 */
public final class ChannelCounters {

    /** Stands for the {@code null} channel in the map, which takes no null keys. */
    private static final Object DEFAULT_CHANNEL = new Object();

    private final ConcurrentHashMap<Object, Counters> counters = new ConcurrentHashMap<>();

    /** Creates counters that are all zero. */
    public ChannelCounters() {
    }

    /** Which count to read. */
    public enum Count {
        /** Requests sent. */
        REQUESTS_SENT,
        /** Replies received (popped). */
        REPLIES_RECEIVED,
        /** Data messages sent. */
        MESSAGES_SENT,
        /** Data messages received (popped). */
        MESSAGES_RECEIVED
    }

    /**
     * Returns what to run when a message of a kind is sent on a channel: counts it.
     *
     * @param channel the channel
     * @param kind the kind
     * @return the counting action, made once per channel
     */
    public Runnable onSend(Object channel, MessageKind kind) {
        Counters c = counters(channel);
        return kind == MessageKind.REQUEST ? c.countRequest : c.countMessage;
    }

    /**
     * Counts a message popped from a channel's queue.
     *
     * @param channel the channel
     * @param reply whether it is a reply
     */
    public void received(Object channel, boolean reply) {
        Counters c = counters(channel);
        c.messagesReceived.incrementAndGet();
        if (reply) {
            c.repliesReceived.incrementAndGet();
        }
    }

    /**
     * Returns a count.
     *
     * @param channel the channel
     * @param which which count
     * @return the count, 0 for a channel never used
     */
    public long get(Object channel, Count which) {
        Counters c = counters.get(channel == null ? DEFAULT_CHANNEL : channel);
        if (c == null) {
            return 0;
        }
        return switch (which) {
            case REQUESTS_SENT -> c.requestsSent.get();
            case REPLIES_RECEIVED -> c.repliesReceived.get();
            case MESSAGES_SENT -> c.messagesSent.get();
            case MESSAGES_RECEIVED -> c.messagesReceived.get();
        };
    }

    private Counters counters(Object channel) {
        return counters.computeIfAbsent(channel == null ? DEFAULT_CHANNEL : channel, k -> new Counters());
    }

    private static final class Counters {
        final AtomicLong requestsSent = new AtomicLong();
        final AtomicLong repliesReceived = new AtomicLong();
        final AtomicLong messagesSent = new AtomicLong();
        final AtomicLong messagesReceived = new AtomicLong();
        /* Made once per channel, so that counting a send allocates nothing. */
        final Runnable countMessage = messagesSent::incrementAndGet;
        final Runnable countRequest = () -> {
            messagesSent.incrementAndGet();
            requestsSent.incrementAndGet();
        };
    }
}
