package coproc.worker.monitor;

import coproc.messenger.internal.Daemons;
import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The host's receiving thread of a monitor: the only thread that receives from the monitor's
 * worker. Keeps the samples as they arrive (committing their JFR events), hands each figure
 * reply to the call that waits for it, and remembers how the worker ended.
 *
 * <p>Thread-safe: the receiving thread adds, any thread reads; the state is guarded by
 * {@code this}.
 */
final class SampleReceiver implements Runnable {

    private final Messenger messenger;
    private final Thread thread;
    private final CountDownLatch firstRound = new CountDownLatch(1);
    /* Guarded by this: */
    private final List<MonitorSample> samples = new ArrayList<>();
    private final Deque<CompletableFuture<String>> figures = new ArrayDeque<>();
    /** How the worker ended: null while it runs. */
    private RuntimeException end;

    SampleReceiver(Messenger messenger) {
        this.messenger = messenger;
        this.thread = Daemons.factory("coproc-monitor-receiver").newThread(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (true) {
                /* A frame drained by the second receive below lands in the first one's queue:
                   wait only when both queues are empty. */
                if (messenger.queueSize(Channels.SAMPLES) == 0 && messenger.queueSize(Channels.FIGURE) == 0) {
                    messenger.awaitAvailable();
                }
                for (List<MonitorSample> batch : messenger.<List<MonitorSample>>receiveAvailable(Channels.SAMPLES)) {
                    for (MonitorSample sample : batch) {
                        SampleEvent.commit(sample);
                    }
                    synchronized (this) {
                        samples.addAll(batch);
                    }
                    firstRound.countDown();
                }
                for (String reply : messenger.<String>receiveAvailable(Channels.FIGURE)) {
                    CompletableFuture<String> waiting;
                    synchronized (this) {
                        waiting = figures.pollFirst();
                    }
                    if (waiting != null) {
                        waiting.complete(reply);
                    }
                }
            }
        } catch (RuntimeException e) { // the worker ended (PipeClosedException), or failed with e
            List<CompletableFuture<String>> orphans;
            synchronized (this) {
                end = e;
                orphans = List.copyOf(figures);
                figures.clear();
            }
            for (CompletableFuture<String> orphan : orphans) {
                orphan.completeExceptionally(e);
            }
            firstRound.countDown();
        }
    }

    /**
     * Waits for the first round of samples.
     *
     * @return {@code null} once it has arrived, or how the worker ended before it did
     */
    RuntimeException awaitFirstRound(Duration timeout) throws InterruptedException {
        if (!firstRound.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return new IllegalStateException("The monitor took no sample within " + timeout);
        }
        synchronized (this) {
            return samples.isEmpty() ? end : null;
        }
    }

    /** Waits for the worker to end, at most the timeout; returns whether it did. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** The samples so far. */
    synchronized List<MonitorSample> samples() {
        return List.copyOf(samples);
    }

    /**
     * How the worker ended, or {@code null} while it runs. A {@link PipeClosedException} is the
     * end of a worker that closed; anything else, the error that ended it.
     */
    synchronized RuntimeException end() {
        return end;
    }

    /**
     * Registers a wait for the next figure reply, in the order the requests are sent. Call it
     * with the request's send, under one lock, so that replies match requests.
     *
     * @return the future of the reply; failed already if the worker has ended
     */
    synchronized CompletableFuture<String> expectFigure() {
        CompletableFuture<String> reply = new CompletableFuture<>();
        if (end != null) {
            reply.completeExceptionally(end);
        } else {
            figures.addLast(reply);
        }
        return reply;
    }
}
