/**
 * Stable priority queues and per-channel queues.
 *
 * <p>{@link coproc.queue.StablePriorityQueue} orders items by ascending {@code double}
 * priority, first in first out among equal priorities. {@link coproc.queue.MultiQueue} and
 * {@link coproc.queue.PriorityMultiQueue} keep one queue per <em>channel</em>: any object
 * with value equality ({@code equals}/{@code hashCode}), {@code null} included.
 *
 * <p>None of these classes is thread-safe: callers that share an instance between threads
 * must synchronise every access themselves. None of them blocks: taking from an empty queue
 * throws {@link java.util.NoSuchElementException}.
 */
package coproc.queue;
