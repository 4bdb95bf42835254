package coproc.examples;

import coproc.worker.WorkerResource;
import java.time.Duration;

/**
 * <b>Message availability.</b> {@code available()} says how many messages have arrived,
 * without blocking, and {@code receiveAvailable()} takes them all; together they let a
 * program do other work between messages.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.MessageAvailability}.
 */
public final class MessageAvailability {

    private MessageAvailability() {
    }

    /**
     * Checks what is available before and after the worker replies.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new WorkerResource<>(Requests::anotherEchoProcess).start()) {
            System.out.println(w.messenger().available());
            w.messenger().sendRequest("hello");
            System.out.println(w.messenger().available());
            w.messenger().awaitAvailable(Duration.ofSeconds(5)); // wait for the worker to reply
            System.out.println(w.messenger().available());
            System.out.println(w.messenger().receiveAvailable());
        }
    }
}
