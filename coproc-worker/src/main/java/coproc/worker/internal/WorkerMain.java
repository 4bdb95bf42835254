package coproc.worker.internal;

/**
 * The main class of worker JVMs: reads its settings from the environment and runs the
 * worker. Not for direct use.
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
        System.exit(WorkerRuntime.run(System.getenv(), true));
    }
}
