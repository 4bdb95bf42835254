package coproc.worker.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Supplier;

/**
 * The tasks of a pool waiting for a worker, first in first out, with tasks sent again going
 * first; and whether the pool can still take tasks: not once it is closed, nor once every
 * worker has failed to restart. Thread-safe.
 */
final class TaskQueue {

    private final LinkedBlockingDeque<PoolTask> tasks = new LinkedBlockingDeque<>();
    /** Guards the transitions to closed or broken, so that no task is added after them. */
    private final Object lock = new Object();
    private volatile boolean closed;
    /** Why the pool has no worker left, or null; guarded by lock. */
    private RuntimeException broken;
    /** Workers that have not given up; guarded by lock. */
    private int workers;

    TaskQueue(int workers) {
        this.workers = workers;
    }

    /**
     * Adds a task at the end.
     *
     * @throws IllegalStateException if the pool is closed or has no worker left
     */
    void add(PoolTask task) {
        synchronized (lock) {
            checkUsable();
            tasks.addLast(task);
        }
    }

    /** Checks that the pool takes tasks; for calls before they start. */
    void checkUsable() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("The pool is closed; start a new one");
            }
            if (broken != null) {
                throw new IllegalStateException("The pool has no worker left: " + broken.getMessage()
                        + ". Close it and start a new one", broken);
            }
        }
    }

    /** Puts tasks back at the front, in their order; fails their calls if the pool is closed. */
    void addFirst(List<PoolTask> again) {
        synchronized (lock) {
            if (!closed && broken == null) {
                for (int i = again.size() - 1; i >= 0; i--) {
                    tasks.addFirst(again.get(i));
                }
                return;
            }
        }
        failAll(again, reason());
    }

    /** Blocks until there is a task, and takes it. */
    PoolTask take() throws InterruptedException {
        return tasks.takeFirst();
    }

    /** Takes a task if there is one. */
    PoolTask poll() {
        return tasks.pollFirst();
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes: takes no more tasks, and fails the calls of those waiting. */
    void close() {
        synchronized (lock) {
            closed = true;
        }
        failAll(drain(), reason());
    }

    /** A worker gives up; if it was the last, the pool is broken and the waiting calls fail. */
    void retire(RuntimeException why) {
        synchronized (lock) {
            if (--workers > 0) {
                return;
            }
            broken = why;
        }
        failAll(drain(), reason());
    }

    private List<PoolTask> drain() {
        List<PoolTask> waiting = new ArrayList<>();
        tasks.drainTo(waiting);
        return waiting;
    }

    private Supplier<RuntimeException> reason() {
        synchronized (lock) {
            RuntimeException why = broken;
            return closed ? () -> new CancellationException("The pool was closed")
                    : () -> new IllegalStateException("The pool has no worker left: " + why.getMessage(), why);
        }
    }

    /** Fails the calls of tasks. */
    static void failAll(List<PoolTask> tasks, Supplier<RuntimeException> why) {
        for (PoolTask task : tasks) {
            task.call().fail(why);
        }
    }
}
