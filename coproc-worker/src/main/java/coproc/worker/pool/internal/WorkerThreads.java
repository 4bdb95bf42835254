package coproc.worker.pool.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads that run the workers of this JVM's pools when a launcher runs workers on
 * threads of the host JVM: a pool expects one before it starts a member, and the member's
 * {@link MemberTarget} reports its thread. In a worker JVM nothing is expected and nothing is
 * kept. Thread-safe.
 */
public final class WorkerThreads {

    private static final ConcurrentHashMap<String, CompletableFuture<Thread>> EXPECTED = new ConcurrentHashMap<>();

    private WorkerThreads() {
    }

    /**
     * Expects a member to start, replacing what was expected under its token.
     *
     * @param token the member's token
     * @return completed with the thread that runs the member's target, if it runs in this JVM
     */
    public static CompletableFuture<Thread> expect(String token) {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        EXPECTED.put(token, thread);
        return thread;
    }

    /**
     * Forgets a member.
     *
     * @param token the member's token
     */
    public static void forget(String token) {
        EXPECTED.remove(token);
    }

    static void running(String token) {
        CompletableFuture<Thread> thread = EXPECTED.get(token);
        if (thread != null) {
            thread.complete(Thread.currentThread());
        }
    }
}
