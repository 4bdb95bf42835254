package coproc.queue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The channel-to-queue table shared by {@link MultiQueue} and {@link PriorityMultiQueue}:
 * one {@link StablePriorityQueue} per channel, a running total, and the error messages.
 * Not thread-safe, like its owners.
 *
 * @param <T> the type of the items
 */
final class ChannelTable<T> {

    /*
     * A MultiQueue is this table with every item at one priority, which StablePriorityQueue
     * serves in O(1) without touching its tree, so the FIFO and priority variants share all
     * their code. HashMap accepts the null key, which is the default channel. Queues are never
     * removed, so hasChannel() stays true once a channel was used.
     */

    private static final int CHANNELS_IN_MESSAGE = 10;

    private final String owner;
    private final HashMap<Object, StablePriorityQueue<T>> queues = new HashMap<>();
    private final Set<Object> channelsView = Collections.unmodifiableSet(queues.keySet());
    private int total;

    ChannelTable(String owner) {
        this.owner = owner;
    }

    void put(Object channel, T item, double priority) {
        StablePriorityQueue<T> queue = queues.get(channel);
        if (queue == null) {
            queue = new StablePriorityQueue<>();
            queue.put(item, priority); // throws on NaN before the channel is registered
            queues.put(channel, queue);
        } else {
            queue.put(item, priority);
        }
        total++;
    }

    T get(Object channel) {
        StablePriorityQueue<T> queue = queues.get(channel);
        if (queue == null || queue.isEmpty()) {
            throw new NoSuchElementException(emptyMessage(channel, queue == null));
        }
        total--;
        return queue.get();
    }

    int size(Object channel) {
        StablePriorityQueue<T> queue = queues.get(channel);
        return queue == null ? 0 : queue.size();
    }

    boolean hasChannel(Object channel) {
        return queues.containsKey(channel);
    }

    Set<Object> channels() {
        return channelsView;
    }

    int totalSize() {
        return total;
    }

    String describe() {
        StringBuilder text = new StringBuilder(owner).append('[');
        Iterator<Map.Entry<Object, StablePriorityQueue<T>>> entries =
                queues.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            text.append(shortName(entry.getKey())).append('=').append(entry.getValue().size());
            if (entries.hasNext()) {
                text.append(", ");
            }
        }
        return text.append(']').toString();
    }

    private String emptyMessage(Object channel, boolean unknown) {
        StringBuilder text = new StringBuilder("get(channel) on ").append(owner)
                .append(": channel ").append(longName(channel));
        if (unknown) {
            text.append(" has never been used. Known channels: [");
            int shown = 0;
            for (Object known : queues.keySet()) {
                if (shown == CHANNELS_IN_MESSAGE) {
                    text.append(", ... (").append(queues.size()).append(" in all)");
                    break;
                }
                text.append(shown == 0 ? "" : ", ").append(longName(known));
                shown++;
            }
            text.append("]. Check the channel's value and type;");
        } else {
            text.append(" is empty;");
        }
        return text.append(" check isEmpty(channel) or size(channel) before get(channel)")
                .toString();
    }

    /** A channel as shown in toString: strings quoted, anything else as itself. */
    private static String shortName(Object channel) {
        return channel instanceof String ? '"' + (String) channel + '"' : String.valueOf(channel);
    }

    /** A channel as shown in errors: with its class, so 1 (Integer) and 1 (Long) differ. */
    private static String longName(Object channel) {
        return channel == null ? "null"
                : shortName(channel) + " (" + channel.getClass().getName() + ")";
    }
}
