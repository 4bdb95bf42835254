package coproc.worker.internal;

import coproc.messenger.PipeMessenger;
import coproc.worker.internal.monitor.HeapReporter;
import java.util.Map;
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
        HeapReporter.startIfAsked(settings); // a Monitor in the host wants this JVM's heap figures
        CountDownLatch started = new CountDownLatch(1);
        String serializer = settings.get(Bootstrap.SERIALIZER);
        Runnable serializers = serializer == null ? () -> { } : PipeMessenger.prepare(serializer);
        Thread preparing = new Thread(() -> prepare(serializers, settings, started), "coproc-worker-prepare");
        preparing.setDaemon(true);
        preparing.start();
        System.exit(WorkerRuntime.run(settings, true, started::countDown));
    }

    /**
     * Makes the pipe's serializers, then, once the worker has started, watches the host.
     * Until then the pipe's end, or the failure to connect, tells the worker that the host
     * has gone (and the pipe's end still does afterwards).
     */
    private static void prepare(Runnable serializers, Map<String, String> settings, CountDownLatch started) {
        serializers.run();
        try {
            started.await();
        } catch (InterruptedException e) {
            // watch at once
        }
        long parent = parent();
        String host = settings.get(Bootstrap.HOST_PID);
        if (host == null || Long.parseLong(host) == parent) {
            watchHost(parent); // else started elsewhere, or the host has gone already
        }
    }

    private static long parent() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }

    /** Halts this JVM when the process, if there is one with that pid, ends. */
    private static void watchHost(long pid) {
        ProcessHandle.of(pid).ifPresent(host -> host.onExit().thenRun(() -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(WorkerRuntime.HOST_GONE);
        }));
    }
}
