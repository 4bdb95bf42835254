package coproc.worker.internal;

import coproc.api.WorkerStartException;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.Closeables;
import coproc.messenger.internal.Daemons;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.PipeConnector;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Accepts one worker's connection on a {@link WorkerListener}: the first connection that
 * presents the worker's one-time secret becomes the messenger, and every other one is closed,
 * having learnt nothing. Every connection handshakes on a thread of its own, so that one that
 * says nothing, or too little, cannot hold up the worker's until the deadline.
 */
final class WorkerAcceptor {

    private WorkerAcceptor() {
    }

    /**
     * Accepts the worker's connection: waits for it while checking that the worker is alive,
     * then closes the listener, so that no one else can connect with the same secret.
     *
     * @param listener where the worker connects
     * @param worker the launched worker, watched while waiting
     * @param kind the messenger kind
     * @param options the messenger options, secret included
     * @param peerLoss what the messenger's receives throw once the worker has gone
     * @param deadline the {@link System#nanoTime()} to give up at
     * @param timeout the start timeout that set the deadline, for the error message
     * @param failureDetail what to add to an error: the worker's exit code and stderr
     * @return the messenger to the worker
     * @throws WorkerStartException if the worker exits, or does not connect by the deadline
     */
    static PipeMessenger accept(WorkerListener listener, WorkerProcess worker, MessengerKind kind,
            MessengerOptions options, Supplier<? extends RuntimeException> peerLoss, long deadline, Duration timeout,
            Supplier<String> failureDetail) {
        BlockingQueue<Connection> handshaken = new LinkedBlockingQueue<>();
        Set<Closeable> connections = ConcurrentHashMap.newKeySet();
        Thread acceptor = Daemons.start("coproc-accept", () -> {
            try {
                while (true) {
                    Closeable connection = listener.accept();
                    connections.add(connection);
                    Daemons.start("coproc-handshake", () -> {
                        try {
                            MessengerOptions timed = options.withHandshakeTimeout(remaining(deadline));
                            handshaken.add(new Connection(connection, MessengerAccess.bridge().create(kind,
                                    PipeConnector.accept(listener.channel(connection, deadline), timed, peerLoss))));
                        } catch (IOException | RuntimeException refused) {
                            // Not our worker: refused (closed), and it changes nothing.
                            Closeables.closeQuietly(connection);
                        }
                    });
                }
            } catch (IOException closed) {
                // the start has its worker, or has given up
            }
        });
        Connection ours = null;
        try {
            while (ours == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WorkerStartException("The worker did not connect within " + timeout + failureDetail.get());
                }
                try {
                    ours = handshaken.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WorkerStartException("Interrupted while waiting for the worker to connect", e);
                }
                if (ours == null && !worker.isAlive()) {
                    throw new WorkerStartException("The worker exited before it connected" + failureDetail.get());
                }
            }
            return ours.messenger();
        } finally {
            listener.close(); // ends the acceptor
            try {
                acceptor.join(1000); // so that it adds no connection after this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Connection other : handshaken) {
                if (other != ours) {
                    other.messenger().close();
                }
            }
            for (Closeable connection : connections) {
                if (ours == null || connection != ours.connection()) {
                    Closeables.closeQuietly(connection);
                }
            }
        }
    }

    /** A connection that presented the secret, and the messenger over it. */
    private record Connection(Closeable connection, PipeMessenger messenger) {
    }

    /** The time left until a deadline, at least a nanosecond. */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }
}
