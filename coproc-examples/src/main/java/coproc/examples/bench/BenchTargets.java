package coproc.examples.bench;

import coproc.api.Messenger;

/** The worker targets of the benchmark. */
final class BenchTargets {

    private BenchTargets() {
    }

    /** Replies to every request with its payload. */
    static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    /** Counts {@code count} messages, then replies once with the count. */
    static void count(Messenger messenger, Integer count) {
        while (true) {
            long received = 0;
            while (received < count) {
                received += messenger.receiveAvailable().size();
                if (received < count) {
                    messenger.awaitAvailable();
                }
            }
            messenger.sendReply(received);
        }
    }
}
