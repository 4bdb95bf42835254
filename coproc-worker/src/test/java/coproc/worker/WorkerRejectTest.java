package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.MessageRejectedException;
import coproc.api.Messenger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message that the worker cannot decode does not end its target: the worker drops it, keeps
 * its state and goes on, and the host, which sent it, hears of it at its next receive.
 */
@Timeout(60)
class WorkerRejectTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Counts what it received and answers each request with the count so far. */
    static void count(Messenger messenger, Void unused) {
        int received = 0;
        while (true) {
            messenger.receiveBlocking();
            received++;
            messenger.sendReply(received);
        }
    }

    private static List<Object> nested(int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(list);
            list = outer;
        }
        return list;
    }

    @Test
    void shouldKeepTheWorkerAndItsStateWhenItCannotDecodeAMessage() throws Exception {
        // JDK serialization writes a graph 300 deep; the worker's filter (depth 256) refuses it
        WorkerOptions options = WorkerOptions.defaults().withSerializer("java");
        try (var worker = new WorkerResource<Void>(WorkerRejectTest::count, options).start()) {
            Messenger host = worker.messenger();
            host.sendRequest("first");
            assertEquals(1, host.<Integer>receiveBlocking(PATIENCE));

            host.sendNoRequest(nested(300));
            host.sendRequest("second");

            MessageRejectedException rejected = assertThrows(MessageRejectedException.class,
                    () -> host.receiveBlocking(PATIENCE));
            assertTrue(rejected.getMessage().contains("did not decode with the 'java' serializer"),
                    rejected.getMessage());
            assertEquals(2, host.<Integer>receiveBlocking(PATIENCE), "the worker kept its count: 'first', 'second'");
            assertTrue(worker.isAlive());
        }
    }
}
