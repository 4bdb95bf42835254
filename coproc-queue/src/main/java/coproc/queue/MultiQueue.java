package coproc.queue;

import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A first-in first-out queue per channel.
 *
 * <h2>Channels</h2>
 * A channel is any object with value equality ({@code equals}/{@code hashCode}): an enum
 * constant, a {@code String}, an {@code Integer}, a record. {@code null} is a valid channel,
 * the default one. Channels are independent: what is put on one is only ever returned by
 * {@link #get(Object)} on an equal channel. A channel comes into existence at its first
 * {@link #put(Object, Object) put} and is never forgotten, even once empty; the query methods
 * never create channels. A channel's {@code hashCode} and {@code equals} must not change
 * while it is in use.
 *
 * <h2>Ordering</h2>
 * Per channel, first in, first out: {@link #get(Object)} returns the item put earliest
 * among those still queued on that channel. There is no ordering between channels.
 *
 * <h2>Nulls, blocking and empty channels</h2>
 * Items may be {@code null}. Nothing blocks: {@link #get(Object)} on a channel with no item
 * throws {@link NoSuchElementException} naming the channel.
 *
 * <h2>Cost</h2>
 * Every method but {@link #toString()} takes O(1) time (one hash lookup).
 *
 * <h2>Thread-safety</h2>
 * This class is not thread-safe. An instance shared between threads must be guarded by the
 * callers, every access under one lock, including iteration of {@link #channels()}.
 *
 * @param <T> the type of the items
 */
public final class MultiQueue<T> {

    /* Every item goes in at one priority, so each channel's queue is FIFO; see ChannelTable. */
    private static final double FIFO = Double.NEGATIVE_INFINITY;

    private final ChannelTable<T> table = new ChannelTable<>("MultiQueue");

    /** Creates a queue with no channel. */
    public MultiQueue() {
    }

    /**
     * Adds an item at the end of a channel's queue, creating the channel if it is new.
     *
     * @param channel the channel; may be {@code null} (the default channel)
     * @param item the item; may be {@code null}
     */
    public void put(Object channel, T item) {
        table.put(channel, item, FIFO);
    }

    /**
     * Removes and returns the oldest item of a channel.
     *
     * @param channel the channel; may be {@code null}
     * @return the item put earliest among those queued on the channel; may be {@code null} if
     *     {@code null} was put
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
     * @return the number of items; 0 for a channel never used
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
     * channel has been emptied.
     *
     * @param channel the channel; may be {@code null}
     * @return {@code true} if {@link #put(Object, Object) put} was called with an equal
     *     channel
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
     * {@code MultiQueue[null=2, "jobs"=0, 7=1]}; string channels are quoted. The items
     * themselves are not listed. The order of the channels is unspecified.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return table.describe();
    }
}
