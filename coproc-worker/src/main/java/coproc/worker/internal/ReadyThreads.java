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
    /** The name of a thread that waits for a worker: not a worker's name ({@code coproc-worker-N}). */
    static final String READY_NAME = "coproc-ready-worker-thread";
    /** The name of the pooled thread that starts a ready thread while it does. */
    static final String STARTER_NAME = "coproc-ready-thread-starter";

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
        if (ready == null) {
            ready = new Ready();
            ready.thread.start();
        }
        Thread starter = Thread.currentThread();
        ready.thread.setName(name); // the thread sets it again, for the operating system's name
        ready.thread.setContextClassLoader(starter.getContextClassLoader());
        ready.thread.setPriority(starter.getPriority());
        ready.work.complete(body);
        if (PREPARING.compareAndSet(false, true)) {
            try {
                Daemons.run(STARTER_NAME, ReadyThreads::prepare);
            } catch (RuntimeException | Error e) {
                PREPARING.set(false); // no thread for it now: the next start makes its own
            }
        }
        return ready.thread;
    }

    /**
     * Starts a ready thread, unless one waits already; again if a start took it before this
     * task had ended, and so did not have the next one started.
     */
    private static void prepare() {
        do {
            try {
                if (READY.get() == null) {
                    Ready ready = new Ready();
                    ready.thread.start();
                    READY.set(ready); // only this task sets it
                }
            } finally {
                PREPARING.set(false);
            }
        } while (READY.get() == null && PREPARING.compareAndSet(false, true));
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
            thread.setContextClassLoader(null); // none held while it waits: a start gives its own
        }

        @Override
        public void run() {
            Runnable body = null;
            boolean interrupted = false;
            while (body == null) {
                try {
                    body = work.get(idle, TimeUnit.NANOSECONDS);
                } catch (TimeoutException unused) {
                    if (READY.compareAndSet(this, null)) {
                        return; // no start can take it now
                    } // else a start has just taken it, or it is not yet offered: wait on
                } catch (InterruptedException e) {
                    interrupted = true; // its worker was stopped as it was handed over: the worker sees it
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e); // never completed so
                }
            }
            thread.setName(thread.getName()); // on this thread: the operating system's name too
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            body.run();
        }
    }
}
