package coproc.examples;

import coproc.api.Messenger;
import coproc.worker.WorkerResource;

/**
 * <b>WorkerResource and managing worker processes.</b> A {@link WorkerResource} holds one
 * worker process and the host's messenger to it. Its target is what the worker runs: here a
 * static method that takes the worker's messenger and the argument given to
 * {@link WorkerResource#start(Object)}, and echoes whatever it receives.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.WorkerResourceIntro}.
 */
public final class WorkerResourceIntro {

    private WorkerResourceIntro() {
    }

    /**
     * The worker's main loop: receives data and sends it back.
     *
     * <p>It never returns: when the host stops the worker, the receive throws
     * {@link coproc.api.ResourceRequestedCloseException}, which ends the worker normally.
     *
     * @param messenger the worker's end of the pipe
     * @param verbose whether to print what it does; {@code null} (a start without an
     *     argument) means {@code false}
     */
    public static void customEchoProcess(Messenger messenger, Boolean verbose) {
        boolean print = Boolean.TRUE.equals(verbose);
        long pid = ProcessHandle.current().pid();
        if (print) {
            System.out.println("Starting process " + pid);
        }
        while (true) {
            // wait until a new message is received
            Object data = messenger.receiveBlocking();
            if (print) {
                System.out.println("process " + pid + " received: " + data);
            }
            // send the same data back
            messenger.sendNoRequest(data);
        }
    }

    /**
     * Starts a verbose worker, stops it, starts a quiet one and stops it.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while letting the worker run
     */
    public static void main(String[] args) throws InterruptedException {
        WorkerResource<Boolean> resource = new WorkerResource<>(WorkerResourceIntro::customEchoProcess);
        System.out.println(resource);

        // the start argument reaches the target: verbose = true
        resource.start(true);
        Thread.sleep(100); // let it run for a moment
        resource.terminate(); // returns once the worker has ended: no need to poll isAlive()

        resource.start(); // a fresh worker, verbose = null
        Thread.sleep(100);
        resource.terminate();
    }
}
