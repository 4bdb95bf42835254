package coproc.worker.pool;

import coproc.api.CoprocException;
import coproc.api.Messenger;
import coproc.api.WorkerIsAlreadyDeadException;
import coproc.api.WorkerTarget;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A group of {@link WorkerResource}s of one target, started, joined and terminated together,
 * with a broadcast send and a way to feed requests to whichever worker is free.
 *
 * <pre>{@code
 * try (var group = new WorkerResourcePool<Void>(4, Main::echo).start()) {
 *     group.mapMessages(List.of(1, 2, 3)).forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Each member is a {@link WorkerResource} of its own ({@link #resources()}), usable as
 * such; the group's methods act on all of them. {@link #allAlive()} is true while every member
 * runs, {@link #anyAlive()} while one does; {@link #awaitAllEnded(Duration)} waits until every
 * member has ended, without asking any to. The members run the target wrapped in a small
 * record of this library's, which is what {@code toString} of a member shows as its target.
 *
 * <p>Thread safety: the lifecycle methods may be called from any thread; like
 * {@link WorkerResource}'s, each takes its members' locks in turn. Waiting uses each member's
 * {@link WorkerResource#onExit()}: no polling.
 *
 * @param <A> the type of the start argument
 */
public final class WorkerResourcePool<A> implements AutoCloseable {

    private final List<WorkerResource<A>> members;

    /**
     * Creates the group with the default worker options; starts nothing.
     *
     * @param size how many workers, at least 1
     * @param target what each worker runs
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public WorkerResourcePool(int size, WorkerTarget<A> target) {
        this(size, target, WorkerOptions.defaults());
    }

    /**
     * Creates the group; starts nothing.
     *
     * @param size how many workers, at least 1
     * @param target what each worker runs
     * @param options how each worker starts and stops
     * @throws IllegalArgumentException if {@code size} is less than 1
     */
    public WorkerResourcePool(int size, WorkerTarget<A> target, WorkerOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("A group needs at least 1 worker: size=" + size);
        }
        Objects.requireNonNull(target, "target");
        List<WorkerResource<A>> created = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            created.add(new WorkerResource<>(target, options));
        }
        this.members = Collections.unmodifiableList(created);
    }

    /**
     * Starts every worker with no start argument ({@code null}).
     *
     * @return this group
     * @see #start(Object)
     */
    public WorkerResourcePool<A> start() {
        return start(null);
    }

    /**
     * Starts every worker, in parallel, each with the same argument; blocks until all have
     * started.
     *
     * @param argument each target's start argument, serializable
     * @return this group
     * @throws coproc.api.WorkerIsAlreadyAliveException if a worker is still alive; then no
     *     worker of the group is left running
     * @throws coproc.api.WorkerStartException if a worker does not start; then no worker of
     *     the group is left running
     */
    public synchronized WorkerResourcePool<A> start(A argument) {
        ParallelStart.startAll(members, Collections.nCopies(members.size(), argument));
        return this;
    }

    /**
     * Returns the members.
     *
     * @return the workers, an unmodifiable list in a fixed order
     */
    public List<WorkerResource<A>> resources() {
        return members;
    }

    /**
     * Returns how many workers the group has.
     *
     * @return the number of workers
     */
    public int size() {
        return members.size();
    }

    /**
     * Returns whether every worker is running.
     *
     * @return {@code true} if every member is alive
     */
    public boolean allAlive() {
        return members.stream().allMatch(WorkerResource::isAlive);
    }

    /**
     * Returns whether any worker is running.
     *
     * @return {@code true} if at least one member is alive
     */
    public boolean anyAlive() {
        return members.stream().anyMatch(WorkerResource::isAlive);
    }

    /**
     * Waits until every worker has ended, without asking any to end; blocks without polling.
     * Returns at once for members that were never started.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if every worker has ended, {@code false} if the timeout elapsed first
     * @throws CoprocException if the thread is interrupted (the interrupt flag stays set)
     */
    public boolean awaitAllEnded(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, Math.min(timeout.toNanos(), Long.MAX_VALUE / 4));
        try {
            for (int i = 0; i < members.size(); i++) {
                if (!awaitEnd(i, deadline)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoprocException("Interrupted while waiting for the workers to end");
        }
    }

    private boolean awaitEnd(int i, long deadline) throws InterruptedException {
        WorkerResource<A> member = members.get(i);
        if (!member.isAlive()) {
            return true;
        }
        try {
            member.onExit().get(left(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return !member.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not wait for worker " + i + ": " + e.getCause(), e.getCause());
        }
        return true;
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /**
     * Asks every worker to close and waits for each to end, as {@link WorkerResource#join()}
     * does, in turn. Every worker is joined even if one throws.
     *
     * @throws WorkerIsAlreadyDeadException if no worker is left to join: the group was never
     *     started, or was joined or terminated already
     * @throws RuntimeException the first error a worker sent, others suppressed
     */
    public void join() {
        each(WorkerResource::join);
    }

    /**
     * Stops every worker by its stop ladder and waits for it to end, in turn.
     *
     * @throws WorkerIsAlreadyDeadException if no worker is left to terminate: the group was
     *     never started, or was joined or terminated already
     */
    public void terminate() {
        each(WorkerResource::terminate);
    }

    /** Runs an action on every member; fails if it found every one dead, or throws the first failure. */
    private void each(Consumer<WorkerResource<A>> action) {
        RuntimeException first = null;
        int dead = 0;
        for (WorkerResource<A> member : members) {
            try {
                action.accept(member);
            } catch (WorkerIsAlreadyDeadException e) {
                dead++;
                if (dead == members.size()) {
                    throw new WorkerIsAlreadyDeadException("No worker of the group is alive: start() it first, or it"
                            + " was joined or terminated already");
                }
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Stops every worker that is alive and closes the messengers; idempotent, throws nothing
     * the workers sent. For try-with-resources.
     */
    @Override
    public void close() {
        members.forEach(ParallelStart::closeQuietly);
    }

    /**
     * Sends a data message to every worker, as {@link Messenger#sendNoRequest(Object)}.
     *
     * @param data the payload
     * @throws coproc.api.SerializationException if the payload cannot be serialized (nothing
     *     is sent to the workers after the first)
     * @throws coproc.api.PipeException if a worker's pipe is closed; the workers before it got
     *     the message
     * @throws coproc.api.WorkerIsDeadException if the group was never started
     */
    public void sendToAll(Object data) {
        sendToAll(data, null);
    }

    /**
     * Sends a data message to every worker on a channel.
     *
     * @param data the payload
     * @param channel the channel, {@code null} for the default
     * @throws coproc.api.SerializationException if the payload cannot be serialized
     * @throws coproc.api.PipeException if a worker's pipe is closed; the workers before it got
     *     the message
     * @throws coproc.api.WorkerIsDeadException if the group was never started
     */
    public void sendToAll(Object data, Object channel) {
        for (WorkerResource<A> member : members) {
            member.messenger().sendNoRequest(data, channel);
        }
    }

    /**
     * Sends each item as a request to a worker that is free, and yields the replies as they
     * arrive, on the default channel. See {@link #mapMessages(Iterable, Object)}.
     *
     * @param <R> the type of the replies
     * @param items the requests
     * @return the replies, in the order they arrive
     * @throws coproc.api.WorkerIsDeadException if the group was never started
     */
    public <R> Stream<R> mapMessages(Iterable<?> items) {
        return mapMessages(items, null);
    }

    /**
     * Sends each item as a request to a worker that is free, and yields the replies as they
     * arrive. The targets must answer each request on the channel with one reply. A thread per
     * worker sends it an item, waits for the reply, and takes the next item; the items are
     * read lazily, at most two replies per worker ahead of the consumer. While it runs, nothing
     * else may receive from the workers on that channel.
     *
     * <p>The stream throws what a receive threw (the target's error, {@link
     * coproc.api.WorkerDiedException}), once the workers still busy have replied; no item is
     * sent after it. Close the stream, or consume it to the end: closing it early stops the
     * sending, and the replies to requests already sent are consumed and dropped.
     *
     * @param <R> the type of the replies
     * @param items the requests, iterated once
     * @param channel the channel of the requests and replies, {@code null} for the default
     * @return the replies, in the order they arrive; a sequential stream
     * @throws coproc.api.WorkerIsDeadException if the group was never started
     */
    public <R> Stream<R> mapMessages(Iterable<?> items, Object channel) {
        Objects.requireNonNull(items, "items");
        List<Messenger> messengers = new ArrayList<>();
        members.forEach(member -> messengers.add(member.messenger()));
        return MessageMapper.map(messengers, items, channel);
    }

    @Override
    public String toString() {
        long alive = members.stream().filter(WorkerResource::isAlive).count();
        return "WorkerResourcePool[" + members.size() + " workers, " + alive + " alive]";
    }
}
