package coproc.examples;

import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.worker.WorkerResource;

/**
 * <b>System messages.</b> Two kinds of message bypass the channels and priorities and act as
 * soon as a receive meets them: {@code sendError} (usually from the worker) makes the other
 * side's receive throw the exception, and {@code sendCloseRequest} (usually from the host)
 * makes it throw {@link ResourceRequestedCloseException}. Both sides must handle them.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.SystemMessages}.
 */
public final class SystemMessages {

    private SystemMessages() {
    }

    /**
     * The worker's main loop: replies to non-negative numbers, answers negative ones with an
     * error, and ends when the host asks it to close.
     *
     * @param messenger the worker's end of the pipe
     * @param unused no start argument
     */
    public static void afifthEchoProcess(Messenger messenger, Void unused) {
        while (true) {
            int data;
            try {
                data = messenger.receiveBlocking();
            } catch (ResourceRequestedCloseException e) {
                break;
            }
            if (data >= 0) {
                messenger.sendReply(data);
            } else {
                messenger.sendError(new IllegalArgumentException("data must be positive"));
            }
        }
    }

    /**
     * Receives a reply, then an error, then closes the worker.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new WorkerResource<>(SystemMessages::afifthEchoProcess).start()) {
            // regular request/reply
            w.messenger().sendRequest(1);
            System.out.println(w.messenger().<Integer>receiveBlocking());

            // this request will elicit an error
            w.messenger().sendRequest(-1);
            try {
                System.out.println(w.messenger().<Integer>receiveBlocking());
            } catch (IllegalArgumentException e) {
                System.out.println(e.getClass() + " " + e.getMessage());
            }

            // join() sends the close request and waits for the worker to end
            w.join();
            System.out.println(w.isAlive());
        }
    }
}
