package coproc.messenger.internal;

import coproc.api.CoprocException;
import coproc.api.PipeException;
import coproc.api.TruncatedFrameException;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Reads a pipe's socket into its {@link Inbox}: reads bytes, splits them into frames with a
 * {@link FrameReader}, decodes each with a {@link FrameDecoder}, and ends the inbox when the
 * stream ends or fails.
 *
 * <p>Whoever holds the read lock reads. A receive that has to wait takes the socket itself
 * ({@link #awaitFrames}): it polls, then waits in the selector ({@link WaitPolicy#RECEIVE}), so
 * a reply goes from the socket to the receiving thread without a hand-over. The reader thread
 * ({@link #readLoop}) reads whenever no receive has for {@link WaitPolicy#HANDOVER}'s first
 * pause, so the pipe is drained and the other side's end is seen even when nobody receives; a
 * receive that finds it waiting in the selector wakes it and takes over. On a channel that
 * cannot be selected only the reader thread reads, and receives wait on the inbox. While
 * receives keep the socket, the reader thread's pauses grow up to the policy's longest, so it
 * notices within that time that they stopped.
 */
final class SocketReader {

    /** How long a close waits for the socket to read the output that arrived. */
    static final long CLOSE_DRAIN_MILLIS = 200;
    private static final BooleanSupplier INTERRUPTED = () -> Thread.currentThread().isInterrupted();

    private final ReadableByteChannel channel;
    /** Where a non-blocking channel's reads wait; {@code null} for a blocking channel. */
    private final Selector readable;
    private final FrameReader frames;
    private final FrameDecoder decoder;
    private final Inbox inbox;
    private final Termination termination;
    /** Run once the stream has ended: releases the pipe's resources. */
    private final Runnable onEnd;

    /**
     * Held by the thread that reads: guards {@link #frames} and {@link #atEnd}. Lock order: a
     * receive takes it while holding its messenger's receive lock; nothing is taken while it is
     * held.
     */
    private final ReentrantLock readLock = new ReentrantLock();
    /** How many receives want the socket; the reader thread gives way to them. */
    private final AtomicInteger receiversWaiting = new AtomicInteger();
    private final BooleanSupplier giveWay = () -> receiversWaiting.get() > 0;
    private volatile long lastReceiveRead = System.nanoTime() - WaitPolicy.HANDOVER.minPauseNanos();
    /** Whether a receive's polls have been paying; guarded by the read lock. */
    private final PollHistory receivePolls = new PollHistory();
    /** How a receive waits on the socket. */
    private volatile WaitPolicy receivePolicy = WaitPolicy.RECEIVE;
    /** Set once the end of the stream, or the failure that ended it, is in the inbox. */
    private volatile boolean finished;
    /** Set by a read that met the end of the stream; guarded by the read lock. */
    private boolean atEnd;

    SocketReader(ReadableByteChannel channel, Selector readable, FrameReader frames, FrameDecoder decoder, Inbox inbox,
            Termination termination, Runnable onEnd) {
        this.channel = channel;
        this.readable = readable;
        this.frames = frames;
        this.decoder = decoder;
        this.inbox = inbox;
        this.termination = termination;
        this.onEnd = onEnd;
    }

    /**
     * The reader thread's loop: reads whenever receives leave the socket alone, until the
     * stream ends or the pipe is closed. While a receive holds the socket it checks back after
     * pauses that grow as {@link WaitPolicy#HANDOVER} says.
     */
    void readLoop() {
        long pause = 0;
        while (!finished && !termination.isClosed()) {
            if (readable == null) {
                readLock.lock(); // a blocking channel: only this thread reads
            } else if (receiversWaiting.get() > 0
                    || System.nanoTime() - lastReceiveRead < WaitPolicy.HANDOVER.minPauseNanos()
                    || !readLock.tryLock()) {
                /* Pauses that grow while receives keep the socket: with many busy pipes on few
                   CPUs, a wake-up every millisecond per pipe costs more than the pipes' work. */
                pause = WaitPolicy.HANDOVER.nextPause(pause);
                LockSupport.parkNanos(this, pause);
                continue;
            }
            pause = 0;
            try {
                pump(WaitPolicy.HANDOVER, Long.MAX_VALUE, giveWay, true);
            } finally {
                readLock.unlock();
            }
        }
    }

    /**
     * Waits until the inbox has something: reads the socket itself when it can, or else waits
     * for the reader thread. The caller is its messenger's one receiving thread.
     *
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @return {@code true} if the inbox has something, {@code false} if the deadline passed
     * @throws CoprocException if the thread is interrupted; its flag stays set
     */
    boolean awaitFrames(long deadline) {
        if (inbox.hasNews()) {
            return true;
        }
        if (readable == null || finished) {
            return inbox.await(deadline);
        }
        receiversWaiting.incrementAndGet();
        boolean news = false;
        try {
            if (!readLock.tryLock()) {
                readable.wakeup(); // the reader thread waits in the selector: make it give way
                if (!Deadlines.lock(readLock, deadline)) {
                    return inbox.hasNews();
                }
            }
            news = inbox.hasNews(); // the reader thread may have read it while this receive waited for the lock
            try {
                // Again if what came was only output frames, which the inbox never sees.
                while (!news) {
                    news = pump(receivePolicy, deadline, INTERRUPTED, false); // the receive read just before it waited
                    if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0
                            || Thread.currentThread().isInterrupted()) {
                        break;
                    }
                }
            } finally {
                lastReceiveRead = System.nanoTime();
                readLock.unlock();
            }
        } finally {
            receiversWaiting.decrementAndGet();
        }
        news = news || inbox.hasNews();
        if (!news && Thread.currentThread().isInterrupted()) {
            throw new CoprocException("Interrupted while waiting for a message");
        }
        return news;
    }

    /** From now on, a receive blocks at once rather than polling first: the peer is on another machine. */
    void receiveWithoutPolling() {
        receivePolicy = WaitPolicy.RECEIVE_REMOTE;
    }

    /**
     * At close: reads what has arrived, without waiting, and gives the output frames among it
     * to the output sink, so that what a worker printed before it ended is not lost with the
     * socket; drops the rest, as this end is closing. Waits at most {@value #CLOSE_DRAIN_MILLIS}
     * ms for the socket.
     */
    void drainOutputAtClose() {
        if (readable == null || finished) {
            return;
        }
        receiversWaiting.incrementAndGet();
        try {
            readable.wakeup(); // the reader thread may wait in the selector: make it give way
            if (!Deadlines.lock(readLock, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_DRAIN_MILLIS))) {
                return;
            }
            try {
                while ((frames.next() || readAndSplit()) && !atEnd) {
                    decoder.decode(frames.array(), frames.offset(), frames.length());
                }
            } catch (IOException | RuntimeException e) {
                // closing anyway
            } finally {
                readLock.unlock();
            }
        } finally {
            receiversWaiting.decrementAndGet();
        }
    }

    /** Reads what has arrived into the inbox, without waiting, if no one else is reading. */
    void pollFrames() {
        if (readable != null && !finished && readLock.tryLock()) {
            try {
                pump(null, 0, INTERRUPTED, true);
            } finally {
                readLock.unlock();
            }
        }
    }

    /**
     * Reads a frame, waiting as the policy says (not at all if it is {@code null}), then the
     * frames that arrived with it, into the inbox; ends the inbox at the end of the stream or
     * on a failure. Reads no more than that: a steady stream must not keep a receive, or the
     * reader thread that a receive waits for, from returning. The caller holds the read lock.
     *
     * @param readFirst {@code false} to skip the first read of a wait, when the caller read the
     *     socket just before: a read that finds nothing costs a system call, and the selector
     *     returns at once if something came since
     * @return whether it put something into the inbox: an item or the end (another thread may
     *     have taken it since)
     */
    private boolean pump(WaitPolicy policy, long deadline, BooleanSupplier giveUp, boolean readFirst) {
        if (finished) {
            return false;
        }
        boolean news = false;
        try {
            boolean frame = frames.next() || (policy == null ? readAndSplit()
                    : policy.await(this::readAndSplit, deadline, giveUp, this::select, receivePolls, readFirst));
            while (frame && !atEnd) {
                InboxItem item = decoder.decode(frames.array(), frames.offset(), frames.length());
                if (item instanceof InboxItem.Data) {
                    inbox.add(item);
                    news = true;
                } else if (item != null) { // null: an output frame, given to the output sink already
                    PipeEvents.decoded(item); // not on the common path: a worker JVM need not load JFR's classes
                    inbox.add(item);
                    news = true;
                }
                frame = !giveUp.getAsBoolean() && frames.next();
            }
            if (atEnd) {
                endOfStream();
                return true;
            }
            return news;
        } catch (PipeException e) {
            finish(termination.fail(e));
        } catch (IOException | RuntimeException e) {
            finish(termination.peerLost(e));
        } catch (Error e) {
            /* Leave an end so that no receive waits for a reader that is gone. */
            finish(termination.fail(new PipeException("The pipe's reader failed: " + e, e)));
            throw e;
        }
        return true;
    }

    /**
     * Reads what the channel has until a frame is complete.
     *
     * @return {@code true} if a frame is complete or the stream ended ({@link #atEnd}),
     *     {@code false} if the channel has nothing more for now
     */
    private boolean readAndSplit() throws IOException {
        while (true) {
            int n = frames.readFrom(channel);
            if (n < 0) {
                atEnd = true;
                return true;
            }
            if (frames.next()) {
                return true;
            }
            if (n == 0) {
                return false;
            }
        }
    }

    /**
     * Blocks in the selector until the channel is readable, it is woken, or the time is up;
     * not at all while a layered channel holds input that the selector cannot see.
     */
    private void select(long nanos) throws IOException {
        if (channel instanceof LayeredChannel layered && layered.hasBufferedInput()) {
            return;
        }
        long millis = nanos == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
        readable.select(millis);
        readable.selectedKeys().clear();
        if (!channel.isOpen()) {
            throw new AsynchronousCloseException();
        }
    }

    /** The stream ended: cleanly between frames, or inside one (the other side died while writing). */
    private void endOfStream() {
        TruncatedFrameException truncated = frames.endOfStream();
        if (truncated == null) {
            finish(termination.peerLost(null));
        } else if (termination.reportsPeerLoss()) {
            RuntimeException end = termination.peerLost(truncated);
            if (end != truncated) {
                end.addSuppressed(truncated);
            }
            finish(end);
        } else {
            finish(termination.fail(truncated));
        }
    }

    /**
     * Releases the pipe, which ends the output sink, then ends the inbox: a receive that sees
     * the end comes after the output sink was given everything and ended. The caller holds the
     * read lock.
     */
    private void finish(RuntimeException end) {
        finished = true;
        onEnd.run();
        inbox.end(end);
    }
}
