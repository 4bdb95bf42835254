package coproc.queue;

import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A {@link StablePriorityQueue} per channel: per channel, items come out in ascending
 * priority, first in first out among equal priorities.
 *
 * <h2>Channels</h2>
 * A channel is any object with value equality ({@code equals}/{@code hashCode}): an enum
 * constant, a {@code String}, an {@code Integer}, a record. {@code null} is a valid channel,
 * the default one. Channels are independent: what is put on one is only ever returned by
 * {@link #get(Object)} on an equal channel. A channel comes into existence at its first
 * successful {@link #put(Object, Object, double) put} and is never forgotten, even once
 * empty; the query methods never create channels. A channel's {@code hashCode} and
 * {@code equals} must not change while it is in use.
 *
 * <h2>Ordering</h2>
 * Per channel, a lower priority value is returned first, and items of equal priority are
 * returned in the order they were put. Priorities are compared numerically:
 * {@link Double#NEGATIVE_INFINITY} first, {@link Double#POSITIVE_INFINITY} last,
 * {@code -0.0} the same as {@code 0.0}; {@link Double#NaN} is rejected. There is no
 * ordering between channels.
 *
 * <h2>Nulls, blocking and empty channels</h2>
 * Items may be {@code null}. Nothing blocks: {@link #get(Object)} on a channel with no item
 * throws {@link NoSuchElementException} naming the channel.
 *
 * <h2>Cost</h2>
 * One hash lookup, plus the cost of {@link StablePriorityQueue}: O(log <i>p</i>) per
 * {@code put} and {@code get}, with <i>p</i> the number of distinct priorities queued on the
 * channel, and O(1) when the item's priority is the channel's lowest.
 *
 * <h2>Thread-safety</h2>
 * This class is not thread-safe. An instance shared between threads must be guarded by the
 * callers, every access under one lock, including iteration of {@link #channels()}.
 *
 * @param <T> the type of the items
 */
public final class PriorityMultiQueue<T> {

    private final ChannelTable<T> table = new ChannelTable<>("PriorityMultiQueue");

    /** Creates a queue with no channel. */
    public PriorityMultiQueue() {
    }

    /**
     * Adds an item at a priority to a channel's queue, creating the channel if it is new.
     *
     * @param channel the channel; may be {@code null} (the default channel)
     * @param item the item; may be {@code null}
     * @param priority the priority; lower is returned first; any value but {@link Double#NaN},
     *     infinities included
     * @throws IllegalArgumentException if {@code priority} is {@link Double#NaN}; nothing is
     *     changed (a new channel is not created)
     */
    public void put(Object channel, T item, double priority) {
        table.put(channel, item, priority);
    }

    /**
     * Removes and returns the item of lowest priority on a channel; among items of that
     * priority, the one put first.
     *
     * @param channel the channel; may be {@code null}
     * @return the item; may be {@code null} if {@code null} was put
     * @throws NoSuchElementException if the channel has no item, with the channel (and, for a
     *     channel never used, the known channels) in the message
     */
    public T get(Object channel) {
        return table.get(channel);
    }

    /**
     * Returns the number of items queued on a channel.
     *
     * @param channel the channel; may be {@code null}
     * @return the number of items, whatever their priorities; 0 for a channel never used
     */
    public int size(Object channel) {
        return table.size(channel);
    }

    /**
     * Tells whether a channel has no item queued.
     *
     * @param channel the channel; may be {@code null}
     * @return {@code true} if {@link #size(Object) size(channel)} is 0, which includes a
     *     channel never used
     */
    public boolean isEmpty(Object channel) {
        return table.size(channel) == 0;
    }

    /**
     * Tells whether anything was ever put on a channel. It stays {@code true} once the
     * channel has been emptied; a {@code put} rejected for a {@link Double#NaN} priority does
     * not count.
     *
     * @param channel the channel; may be {@code null}
     * @return {@code true} if {@link #put(Object, Object, double) put} succeeded with an
     *     equal channel
     */
    public boolean hasChannel(Object channel) {
        return table.hasChannel(channel);
    }

    /**
     * Returns the channels that anything was ever put on, empty ones included, as an
     * unmodifiable live view: it shows channels added later. Its iteration order is
     * unspecified, and putting on a new channel while iterating it makes the iteration fail
     * with {@link java.util.ConcurrentModificationException} (best effort). It may contain
     * {@code null}.
     *
     * @return the unmodifiable view of the channels
     */
    public Set<Object> channels() {
        return table.channels();
    }

    /**
     * Returns the number of items queued on all channels together.
     *
     * @return the sum of {@link #size(Object)} over {@link #channels()}
     */
    public int totalSize() {
        return table.totalSize();
    }

    /**
     * Returns a description listing each channel with its number of items, for example
     * {@code PriorityMultiQueue[null=2, "jobs"=0, 7=1]}; string channels are quoted. The
     * items themselves are not listed. The order of the channels is unspecified.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return table.describe();
    }
}
