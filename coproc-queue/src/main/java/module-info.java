/**
 * The queues behind coproc's messengers: per-channel first-in first-out queues and
 * per-channel stable priority queues.
 *
 * <p>{@code coproc.queue} exports one package, {@link coproc.queue}, holding three classes:
 * <ul>
 *   <li>{@link coproc.queue.StablePriorityQueue}: a single queue that returns items in
 *       ascending priority, first in first out among equal priorities;</li>
 *   <li>{@link coproc.queue.MultiQueue}: a first-in first-out queue per channel;</li>
 *   <li>{@link coproc.queue.PriorityMultiQueue}: a stable priority queue per channel.</li>
 * </ul>
 * They are plain, single-threaded data structures with no blocking and no I/O; a messenger
 * guards them with its own lock. They are usable on their own.
 *
 * <p>This module depends on nothing but {@code java.base}.
 */
module coproc.queue {
    exports coproc.queue;
}
