package coproc.worker.pool;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Values under consecutive {@code long} keys, added at the high end and removed in any order:
 * the chunks of a call by index, the tasks with a worker by ticket. An array from the lowest
 * key still held, so that lookups need neither hashing nor boxing; it grows as needed, and
 * its size stays that of the span between the lowest and the highest key held. Not
 * thread-safe.
 *
 * @param <V> the type of the values
 */
final class Ring<V> {

    private Object[] values = new Object[16];
    /** The key of {@code values[head]}. */
    private long first;
    private int head;
    /** How many keys from {@link #first} the array spans, held or removed. */
    private int span;
    private int size;

    /**
     * Creates an empty ring whose first key will be the given one.
     *
     * @param first the key of the first value added
     */
    Ring(long first) {
        this.first = first;
    }

    /** The key the next value gets. */
    long nextKey() {
        return first + span;
    }

    /**
     * Adds a value under {@link #nextKey()}.
     *
     * @return its key
     */
    long add(V value) {
        if (span == values.length) {
            Object[] grown = new Object[values.length * 2];
            for (int i = 0; i < span; i++) {
                grown[i] = values[(head + i) % values.length];
            }
            values = grown;
            head = 0;
        }
        values[(head + span) % values.length] = value;
        span++;
        size++;
        return first + span - 1;
    }

    /** The value under a key, or {@code null} if none. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        long at = key - first;
        return at < 0 || at >= span ? null : (V) values[(int) ((head + at) % values.length)];
    }

    /** Replaces the value under a key that is held. */
    void set(long key, V value) {
        values[(int) ((head + key - first) % values.length)] = value;
    }

    /** Removes the value under a key; returns it, or {@code null} if none. */
    V remove(long key) {
        V value = get(key);
        if (value != null) {
            set(key, null);
            size--;
            while (span > 0 && values[head] == null) { // the low end moves up past what was removed
                head = (head + 1) % values.length;
                first++;
                span--;
            }
        }
        return value;
    }

    /** The lowest key held; if empty, the key the next value gets. */
    long lowestKey() {
        return first;
    }

    /** The value under the lowest key held, or {@code null} if empty. */
    V lowest() {
        return size == 0 ? null : get(first);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Calls the action with each value, lowest key first. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<V> action) {
        for (int i = 0; i < span; i++) {
            Object value = values[(head + i) % values.length];
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    /** Removes everything; the next key stays as it was unless {@code first} says otherwise. */
    void clear(long nextFirst) {
        Arrays.fill(values, null);
        head = 0;
        span = 0;
        size = 0;
        first = nextFirst;
    }
}
