package coproc.worker.internal;

/**
 * The main class of worker JVMs: reads its settings from the environment and runs the
 * worker. Not for direct use. (A JVM started to make a class data sharing archive runs it
 * too, and rehearses a worker's start instead; see {@link ClassDataSharing}.)
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
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        ProcessHandle.of(parent).ifPresent(host -> host.onExit().thenRun(() -> {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(WorkerRuntime.HOST_GONE);
        }));
        if (System.getenv(ClassDataSharing.TRAINING) != null) {
            System.exit(ClassDataSharing.rehearse());
        }
        System.exit(WorkerRuntime.run(System.getenv(), true));
    }
}
