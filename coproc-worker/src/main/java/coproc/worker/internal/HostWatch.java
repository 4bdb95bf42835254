package coproc.worker.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends a worker JVM when its host process ends, however it ends (even by {@code kill -9}):
 * the guarantee that a worker leaves no orphan behind, besides the end of its pipe.
 */
final class HostWatch {

    private HostWatch() {
    }

    /** Returns this JVM's parent process id, or -1 if it has none. */
    static long parent() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** The processes watched already. */
    private static final Set<Long> WATCHED = ConcurrentHashMap.newKeySet();

    /**
     * Halts this JVM with {@link WorkerRuntime#HOST_GONE} when the process, if there is one with
     * that pid, ends. Watching a process again does nothing (a spare watches its host from its
     * boot on, and its worker would again once started).
     */
    static void watch(long pid) {
        if (!WATCHED.add(pid)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(host -> host.onExit().thenRun(() -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(WorkerRuntime.HOST_GONE);
        }));
    }
}
