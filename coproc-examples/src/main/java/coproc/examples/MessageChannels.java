package coproc.examples;

import coproc.api.Messenger;
import coproc.api.ResourceRequestedCloseException;
import coproc.worker.WorkerResource;

/**
 * <b>Message channels.</b> Every message travels on a channel, any value with value equality;
 * each channel has its own queue and its own request counts, so channels act as separate
 * pipes. Here the host and the worker exchange data on {@link Channels#DATA} with requests and
 * replies, while the worker also sends warnings on {@link Channels#WARNING}.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.MessageChannels}.
 */
public final class MessageChannels {

    private MessageChannels() {
    }

    /** The channels of this example. */
    public enum Channels {
        /** Data, both ways. */
        DATA,
        /** Warnings, from the worker. */
        WARNING
    }

    /**
     * The worker's main loop: echoes data, with a warning for short data, until the host
     * asks it to close.
     *
     * @param messenger the worker's end of the pipe
     * @param unused no start argument
     */
    public static void afourthEchoProcess(Messenger messenger, Void unused) {
        while (true) {
            String data;
            try {
                data = messenger.receiveBlocking(Channels.DATA);
            } catch (ResourceRequestedCloseException e) {
                break;
            }
            if (data.length() < 10) {
                // send a message on the warning channel
                messenger.sendNoRequest("warning: data must be positive", Channels.WARNING);
            }
            // either way, echo result
            messenger.sendReply(data, Channels.DATA);
        }
    }

    /**
     * Sends a request on the data channel, receives the reply, and prints the warnings that
     * came with it.
     *
     * @param message the data to send
     * @param messenger the host's messenger
     * @return the reply
     */
    static String receivePrintWarnings(String message, Messenger messenger) {
        messenger.sendRequest(message, Channels.DATA);
        System.out.println("messenger.remaining(Channels.DATA)=" + messenger.remaining(Channels.DATA));

        String data = messenger.receiveBlocking(Channels.DATA);
        System.out.println("messenger.remaining(Channels.DATA)=" + messenger.remaining(Channels.DATA));

        for (String warning : messenger.<String>receiveAvailable(Channels.WARNING)) {
            System.out.println(warning);
        }
        return data;
    }

    /**
     * Sends three strings and prints the replies and warnings.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new WorkerResource<>(MessageChannels::afourthEchoProcess).start()) {
            System.out.println(receivePrintWarnings("hello", w.messenger()));
            System.out.println(receivePrintWarnings("world", w.messenger()));
            System.out.println(receivePrintWarnings("hello world!", w.messenger()));
        }
    }
}
