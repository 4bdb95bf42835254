package coproc.worker.pool;

import coproc.worker.WorkerResource;
import java.util.List;

/**
 * Starts several workers at once, each on a thread of its own, since a worker JVM takes a
 * while to come up; if any fails to start, closes them all and throws the first failure.
 */
final class ParallelStart {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

    private ParallelStart() {
    }

    /**
     * Closes a worker, never throwing: a worker whose start failed part way can fail to
     * close, and closing is the last thing done with it.
     *
     * @param worker the worker
     */
    static void closeQuietly(WorkerResource<?> worker) {
        try {
            worker.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing " + worker + " failed", e);
        }
    }

    /**
     * Starts the workers and waits for all of them; blocks for at most about one start timeout.
     *
     * @param <A> the type of the start argument
     * @param workers the workers
     * @param arguments their start arguments, one each
     * @throws RuntimeException the first failure to start, with the others suppressed; every
     *     worker is closed then
     */
    static <A> void startAll(List<WorkerResource<A>> workers, List<A> arguments) {
        int n = workers.size();
        Throwable[] failures = new Throwable[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = new Thread(() -> {
                try {
                    workers.get(index).start(arguments.get(index));
                } catch (RuntimeException | Error e) {
                    failures[index] = e;
                }
            }, "coproc-start-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true; // a start is bounded by its timeout: finish waiting, then say so
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable first = null;
        for (Throwable failure : failures) {
            if (first == null) {
                first = failure;
            } else if (failure != null) {
                first.addSuppressed(failure);
            }
        }
        if (first != null) {
            workers.forEach(ParallelStart::closeQuietly);
            if (first instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) first;
        }
    }
}
