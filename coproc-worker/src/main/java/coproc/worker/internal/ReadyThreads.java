package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the threads of {@code thread} workers, one started ahead of time: starting a thread
 * takes 0.1–0.2 ms on a small machine, a fifth of such a worker's start, and the starting
 * thread waits for most of it. A start takes the thread that waits ready, if there is one,
 * and has the next one started in the background. Either way the worker gets a thread of its
 * own that runs it alone and ends, a daemon with the starting thread's context class loader
 * and none of its inheritable thread-local values, as a worker JVM has none of them. A ready
 * thread that no start takes within {@value #IDLE_SECONDS} s ends. Thread-safe.
 */
final class ReadyThreads {

    /** How long a ready thread waits for a worker before it ends, by default. */
    static final long IDLE_SECONDS = 60;
    /** The name of a thread that waits for a worker. */
    static final String READY_NAME = "coproc-worker-ready";

    /** The thread that waits ready, or {@code null}. */
    private static final AtomicReference<Ready> READY = new AtomicReference<>();
    /** Whether a ready thread is being started. */
    private static final AtomicBoolean PREPARING = new AtomicBoolean();
    /** How long a ready thread waits for a worker before it ends. */
    private static volatile long idleNanos = TimeUnit.SECONDS.toNanos(IDLE_SECONDS);

    private ReadyThreads() {
    }

    /**
     * Runs a worker on a thread of its own: the ready one, or a new one; and has a ready one
     * started in the background for the next start.
     *
     * @param name the thread's name
     * @param body what it runs; the thread ends when it returns
     * @return the thread, started
     */
    static Thread start(String name, Runnable body) {
        Ready ready = READY.getAndSet(null); // taken: it can no longer end idle
        if (PREPARING.compareAndSet(false, true)) {
            Daemons.run("coproc-worker-thread-starter", ReadyThreads::prepare);
        }
        if (ready == null) {
            ready = new Ready();
            ready.thread.start();
        }
        ready.thread.setName(name);
        ready.thread.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        ready.work.complete(body);
        return ready.thread;
    }

    /** Starts a ready thread, unless one waits already. */
    private static void prepare() {
        try {
            if (READY.get() == null) {
                Ready ready = new Ready();
                ready.thread.start();
                READY.set(ready); // only this task sets it
            }
        } finally {
            PREPARING.set(false);
        }
    }

    /** Package access for tests: sets how long the ready threads started from now on wait. */
    static void idleTimeout(Duration timeout) {
        idleNanos = timeout.toNanos();
    }

    /** Package access for tests: the thread that waits ready, or {@code null}. */
    static Thread ready() {
        Ready ready = READY.get();
        return ready == null ? null : ready.thread;
    }

    /** A thread that waits for the one worker it is to run. */
    private static final class Ready implements Runnable {

        private final CompletableFuture<Runnable> work = new CompletableFuture<>();
        private final Thread thread = new Thread(null, this, READY_NAME, 0, false);
        private final long idle = idleNanos;

        Ready() {
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            Runnable body = null;
            boolean interrupted = false;
            while (body == null) {
                try {
                    body = work.get(idle, TimeUnit.NANOSECONDS);
                } catch (TimeoutException idle) {
                    if (READY.compareAndSet(this, null)) {
                        return; // no start can take it now
                    }
                    body = work.join(); // a start has just taken it
                } catch (InterruptedException e) {
                    interrupted = true; // its worker was stopped as it was handed over: the worker sees it
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e); // never completed so
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            body.run();
        }
    }
}
