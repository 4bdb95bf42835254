package coproc.examples;

import coproc.api.Messenger;
import coproc.worker.WorkerResource;
import java.util.List;

/**
 * <b>Requests.</b> The host sends with {@code sendRequest} and the worker answers with
 * {@code sendReply}; the host's messenger counts the replies still outstanding
 * ({@code remaining()}), and {@code receiveRemaining()} receives exactly those.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.Requests}.
 */
public final class Requests {

    private Requests() {
    }

    /**
     * The worker's main loop: replies to each message with the message itself.
     *
     * @param messenger the worker's end of the pipe
     * @param unused no start argument
     */
    public static void anotherEchoProcess(Messenger messenger, Void unused) {
        while (true) {
            Object data = messenger.receiveBlocking();
            messenger.sendReply(data);
        }
    }

    /**
     * Sends requests and follows the count of outstanding replies.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new WorkerResource<>(Requests::anotherEchoProcess).start()) {
            System.out.println(w.messenger().remaining());
            w.messenger().sendRequest("hello");
            System.out.println(w.messenger().remaining());
            System.out.println(w.messenger().<String>receiveBlocking());
            System.out.println(w.messenger().remaining());

            w.messenger().sendRequestMultiple(List.of(0, 1, 2));
            for (int d : w.messenger().<Integer>receiveRemaining()) {
                System.out.println(d);
            }
        }
    }
}
