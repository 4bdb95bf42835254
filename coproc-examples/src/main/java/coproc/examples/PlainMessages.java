package coproc.examples;

import coproc.examples.ContextManagers.EchoResource;

/**
 * <b>Sending and receiving messages.</b> {@code sendNoRequest} sends data without expecting a
 * reply; {@code receiveBlocking} waits for the next message. The verbose echo worker prints
 * what it receives and sends it back.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.PlainMessages}.
 */
public final class PlainMessages {

    private PlainMessages() {
    }

    /**
     * Sends {@code hello} to the echo worker and prints the echo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new EchoResource(true)) {
            w.resource().messenger().sendNoRequest("hello");
            System.out.println(w.messenger().<String>receiveBlocking());
        }
    }
}
