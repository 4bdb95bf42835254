package coproc.worker.internal;

import coproc.messenger.internal.Pipe;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of worker JVMs: reads its settings from the environment and runs the
 * worker. Not for direct use. (A JVM started to make a class data sharing archive runs it
 * too, and rehearses a worker's start instead; see {@link ClassDataSharing}.)
 *
 * <p>A new JVM runs everything slowly at first, so the start is spread over three threads:
 * the main one connects to the host (a JVM's first Unix domain socket alone takes
 * milliseconds), one loads the target (see {@link WorkerRuntime#run}), and one makes the
 * serializers the pipe will need; once the worker has started, that one also starts watching
 * the host, so that the worker ends with it.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    /**
     * Runs a worker and exits with its exit code.
     *
     * @param args ignored; the settings come from the environment, never the command line
     */
    public static void main(String[] args) {
        Map<String, String> settings = System.getenv();
        if (settings.get(ClassDataSharing.TRAINING) != null) {
            watchHost(parent());
            System.exit(ClassDataSharing.rehearse());
        }
        CountDownLatch started = new CountDownLatch(1);
        Thread preparing = new Thread(() -> prepare(settings, started), "coproc-worker-prepare");
        preparing.setDaemon(true);
        preparing.start();
        System.exit(WorkerRuntime.run(settings, true, started::countDown));
    }

    /**
     * Makes the pipe's serializers, then, once the worker has started, watches the host.
     * Until then the pipe's end, or the failure to connect, tells the worker that the host
     * has gone. A failure here comes again on the main thread, which reports it.
     */
    private static void prepare(Map<String, String> settings, CountDownLatch started) {
        try {
            Pipe.prepare(settings.get(Bootstrap.SERIALIZER));
        } catch (RuntimeException | LinkageError e) {
            // the main thread meets it again
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            // watch at once
        }
        String host = settings.get(Bootstrap.HOST_PID);
        watchHost(host != null ? Long.parseLong(host) : parent());
    }

    private static long parent() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** Halts this JVM when the host process ends, or at once if it has ended already. */
    private static void watchHost(long pid) {
        if (pid <= 0) {
            return; // no parent to watch: the pipe's end still ends the worker
        }
        ProcessHandle.of(pid).map(ProcessHandle::onExit).orElse(CompletableFuture.completedFuture(null))
                .thenRun(() -> {
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(WorkerRuntime.HOST_GONE);
                });
    }
}
