package coproc.messenger.internal;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts coproc's background threads: daemon threads with a name that says what they do, so
 * that none keeps a JVM alive and a thread dump tells them apart.
 */
public final class Daemons {

    /** The name of a pooled thread between two tasks of {@link #run}. */
    static final String IDLE_NAME = "coproc-idle";

    /** How long a pooled thread waits for its next task before it ends. */
    static final long IDLE_SECONDS = 10;

    /**
     * The threads of {@link #run}: as many as run tasks at once, kept for {@value #IDLE_SECONDS}
     * s after their task, because starting a thread takes 50–350 µs (the starting thread waits
     * for the new one to be scheduled) and a pipe's reader is on the path of every worker start.
     */
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), factory(IDLE_NAME));

    private Daemons() {
    }

    /**
     * Runs a task on a daemon thread that bears the given name while the task runs: an idle
     * thread of a shared pool, or a new one. The thread has the caller's context class loader;
     * its interrupt flag is cleared when the task ends. For tasks that last as long as what
     * they serve (a pipe's reader, say), and that nothing interrupts from outside but the task's
     * own code: the thread serves other tasks afterwards. An exception the task throws goes to
     * the thread's uncaught exception handler, as for {@link #start}.
     *
     * @param name the thread's name while the task runs, such as {@code coproc-reader-3}
     * @param task what it runs
     */
    public static void run(String name, Runnable task) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        POOL.execute(() -> {
            Thread self = Thread.currentThread();
            self.setName(name);
            self.setContextClassLoader(loader);
            try {
                task.run();
            } finally {
                Thread.interrupted(); // not for the next task
                self.setName(IDLE_NAME);
            }
        });
    }

    /**
     * Starts a daemon thread.
     *
     * @param name the thread's name, such as {@code coproc-reader-3}
     * @param task what it runs
     * @return the started thread
     */
    public static Thread start(String name, Runnable task) {
        Thread thread = factory(name).newThread(task);
        thread.start();
        return thread;
    }

    /**
     * Returns a factory of unstarted daemon threads, for an executor.
     *
     * @param name the name of every thread it makes
     * @return the factory
     */
    public static ThreadFactory factory(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
