package coproc.messenger.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Starts coproc's background threads: daemon threads with a name that says what they do, so
 * that none keeps a JVM alive and a thread dump tells them apart.
 */
public final class Daemons {

    private Daemons() {
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
