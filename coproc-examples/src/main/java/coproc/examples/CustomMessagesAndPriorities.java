package coproc.examples;

import coproc.api.Messenger;
import coproc.api.Prioritized;
import coproc.worker.WorkerResource;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * <b>Custom messages and priorities.</b> A priority messenger orders the messages of a
 * channel by their {@link Prioritized#priority()}: a lower value is received first, and
 * messages of equal priority first in, first out. Here warnings (priority 0) overtake data
 * (priority 1).
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.CustomMessagesAndPriorities}.
 */
public final class CustomMessagesAndPriorities {

    private CustomMessagesAndPriorities() {
    }

    /**
     * A warning: received before data.
     *
     * @param message what is wrong
     * @param priority the priority, 0 by default
     */
    public record WarningMessage(String message, double priority) implements Prioritized {

        /**
         * Makes a warning with priority 0.
         *
         * @param message what is wrong
         */
        public WarningMessage(String message) {
            this(message, 0);
        }
    }

    /**
     * Data: received after warnings.
     *
     * @param data the number
     * @param priority the priority, 1 by default
     */
    public record DataMessage(int data, double priority) implements Prioritized {

        /**
         * Makes data with priority 1.
         *
         * @param data the number
         */
        public DataMessage(int data) {
            this(data, 1);
        }
    }

    /**
     * The worker's main loop: replies with each number as data, and warns about negative
     * numbers.
     *
     * @param messenger the worker's end of the pipe
     * @param unused no start argument
     */
    public static void athirdEchoProcess(Messenger messenger, Void unused) {
        while (true) {
            int num = messenger.receiveBlocking();
            messenger.sendReply(new DataMessage(num));
            if (num < 0) {
                messenger.sendNoRequest(new WarningMessage("negative number"));
            }
        }
    }

    /**
     * Sends a positive and a negative number, and prints what comes back.
     *
     * @param args ignored
     * @throws TimeoutException if the worker does not answer within five seconds
     */
    public static void main(String[] args) throws TimeoutException {
        try (var w = new WorkerResource<>(CustomMessagesAndPriorities::athirdEchoProcess).start()) {
            w.messenger().sendRequest(1);
            awaitAvailable(w.messenger(), 1);
            System.out.println(w.messenger().receiveAvailable());

            // notice the warning appears in the queue first
            w.messenger().sendRequest(-1);
            awaitAvailable(w.messenger(), 2);
            System.out.println(w.messenger().receiveAvailable());
        }
    }

    /** Waits, at most five seconds, until the default channel holds {@code count} messages. */
    static void awaitAvailable(Messenger messenger, int count) throws TimeoutException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (messenger.available() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !messenger.awaitAvailable(Duration.ofNanos(left))) {
                throw new TimeoutException("fewer than " + count + " messages after five seconds");
            }
        }
    }
}
