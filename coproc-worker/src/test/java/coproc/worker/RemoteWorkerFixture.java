package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.api.Messenger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

/**
 * What the tests of the launchers for other machines ({@code ssh}, {@code slurm}) share: their
 * worker targets, and the rule for the real service they need — fail under {@code CI}, where
 * {@code .ci/run} starts it, skip with a message saying how to start it elsewhere.
 */
final class RemoteWorkerFixture {

    private RemoteWorkerFixture() {
    }

    /**
     * Requires the test service: fails if {@code CI} is set and it is not there, else skips.
     *
     * @param there whether the service was found
     * @param ciMessage why CI failed, naming the script that should have started it
     * @param skipMessage how to start it, for a developer's machine
     */
    static void requireService(boolean there, String ciMessage, String skipMessage) {
        if (System.getenv("CI") != null) {
            assertTrue(there, ciMessage);
        }
        assumeTrue(there, skipMessage);
    }

    /** The seed's echo worker, which says where it runs first. */
    static void echo(Messenger messenger, String greeting) {
        messenger.sendNoRequest(greeting + " from " + ProcessHandle.current().pid());
        while (true) {
            Object request = messenger.receiveBlocking();
            if ("fail".equals(request)) {
                throw new IllegalStateException("asked to fail");
            }
            System.out.println("echoing " + request);
            messenger.sendReply(request);
        }
    }

    /**
     * Drives an {@link #echo} worker past its greeting: 100 round trips, each reply after the
     * line the worker printed before it, then a request that fails, which arrives as the
     * target's exception and ends the worker with exit code 1.
     *
     * @param worker the started worker, its greeting received
     * @param lines where its standard output's lines go
     * @param patience how long each wait may take
     * @param exitCodeIs what the exit code is, for the assertion's message
     */
    static void roundTripThenFail(WorkerResource<String> worker, List<String> lines, Duration patience,
            String exitCodeIs) throws TimeoutException {
        for (int i = 0; i < 100; i++) {
            worker.messenger().sendRequest(i);
            assertEquals(i, (Integer) worker.messenger().receiveBlocking(patience));
            assertEquals("echoing " + i, lines.get(i), "its output, in order with its replies");
        }
        worker.messenger().sendNoRequest("fail");
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> worker.messenger().receiveBlocking(patience));
        assertEquals("asked to fail", failure.getMessage());
        worker.join(patience);
        assertEquals(Optional.of(1), worker.exitCode().stream().boxed().findFirst(), exitCodeIs);
    }

    /** Never looks at its messenger: only the end of its pipe (or the cluster) can end it. */
    static void blockForEver(Messenger messenger, Void unused) throws InterruptedException {
        messenger.sendNoRequest(ProcessHandle.current().pid());
        new CountDownLatch(1).await();
    }
}
