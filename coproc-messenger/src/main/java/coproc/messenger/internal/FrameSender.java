package coproc.messenger.internal;

import coproc.api.PipeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a pipe's frames to its socket, for any number of sending threads, batching bursts.
 *
 * <p>Senders encode frames into {@code pending} under the send lock. A lone frame is written
 * by its sender before the send returns. Frames that follow each other closely (a burst, from
 * one thread or many) are left to the flusher thread ({@link #flushLoop}), which writes
 * everything pending in one system call while senders go on encoding into the other buffer;
 * it polls as {@link WaitPolicy#FLUSH} says after its last write, then parks, and senders
 * write directly again. Above {@link #HIGH_WATER_BYTES} pending a sender writes itself, and
 * blocks while the socket is full: the backpressure of a burst against a slow reader.
 */
final class FrameSender {

    /**
     * A send this soon after the previous write ended starts a burst. A sender that streams
     * comes back within the time it takes to encode a frame (a few hundred nanoseconds); one
     * that waits for a reply between sends comes back after at least two trips through the
     * socket (several microseconds), and must not be batched: the flusher would add a thread
     * hop to every round trip.
     */
    static final long BURST_NANOS = 1_000;
    /** Above this many pending bytes a sender writes them itself. */
    static final int HIGH_WATER_BYTES = 1 << 20;
    /** How long close, and a close request, wait for a sender or the flusher stuck on a full socket. */
    static final long STUCK_MILLIS = 1_000;

    /** Appends one whole frame to the pending bytes; if it throws, nothing of the frame is sent. */
    @FunctionalInterface
    interface Encoder {
        void encode(FrameBuffer out) throws IOException;
    }

    private final WritableByteChannel channel;
    /** Where a non-blocking channel's writes wait for room; {@code null} for a blocking channel. */
    private final Selector writable;
    private final Termination termination;

    /*
     * Lock order: sendLock, then writeLock. Whoever writes takes writeLock before releasing
     * sendLock, so that writes keep the order in which frames were encoded.
     */
    /** Guards pending, spare and lastWriteEnd. */
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Held while bytes are written to the channel. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private FrameBuffer pending = new FrameBuffer(1024);
    /** How many frames {@link #pending} holds. */
    private int pendingFrames;
    private FrameBuffer spare = new FrameBuffer(1024);
    private long lastWriteEnd;
    /** Whether a burst is under way: the flusher writes, senders only encode. */
    private volatile boolean streaming;
    /** The flusher's thread once its task runs; {@code null} before. */
    private volatile Thread flusher;
    private final String flusherName;
    /** Whether the flusher's task was handed to a thread; guarded by the send lock. */
    private boolean flusherStarted;
    /** How many batches the flusher has written; written by the flusher only. */
    private volatile long flusherBatches;

    /** Makes the sender; its flusher thread, named {@code flusherName}, starts with the first burst. */
    FrameSender(WritableByteChannel channel, Selector writable, Termination termination, String flusherName) {
        this.channel = channel;
        this.writable = writable;
        this.termination = termination;
        this.flusherName = flusherName;
    }

    /**
     * Encodes a frame and writes it, or leaves it to the flusher during a burst.
     *
     * @param encoder appends the frame; if it throws, nothing of the frame is sent
     * @param beforeWrite run under the send lock once the frame is encoded, before it is
     *     written: the place to count it
     * @throws RuntimeException what ended the pipe, what the encoder throws, or a write failure
     */
    void send(Encoder encoder, Runnable beforeWrite) {
        sendLock.lock();
        try {
            encodeAndWrite(encoder, beforeWrite);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * As {@link #send}, but waits at most {@value #STUCK_MILLIS} ms for a send that is blocked
     * on a full socket, so that a stop ladder never hangs on it.
     *
     * @param encoder appends the frame
     * @throws PipeException if another send stays stuck, or the thread is interrupted
     */
    void sendUrgently(Encoder encoder) {
        try {
            if (!sendLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new PipeException("Could not send the close request: another send has been blocked for "
                        + STUCK_MILLIS + " ms on a full pipe; is the other side reading?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipeException("Interrupted while sending a close request", e);
        }
        try {
            encodeAndWrite(encoder, () -> { });
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Queues a frame for the flusher, never writing it on the caller's thread, so that a caller
     * that must not block on a full socket (a receive, say) can send a notice. Best effort: the
     * frame is dropped if the pipe has ended, {@value #HIGH_WATER_BYTES} bytes are already
     * pending, or another send has held the pipe for {@value #STUCK_MILLIS} ms.
     *
     * @param encoder appends the frame
     * @return whether it was queued
     */
    boolean sendInBackground(Encoder encoder) {
        try {
            if (!sendLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (!termination.isOpen() || pending.size() >= HIGH_WATER_BYTES) {
                return false;
            }
            int start = pending.size();
            try {
                encoder.encode(pending);
            } catch (IOException | RuntimeException e) {
                pending.truncate(start);
                return false;
            }
            pendingFrames++;
            wakeFlusher();
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    private void encodeAndWrite(Encoder encoder, Runnable beforeWrite) {
        termination.checkOpen();
        int start = pending.size();
        try {
            encoder.encode(pending);
        } catch (IOException e) {
            pending.truncate(start);
            throw new UncheckedIOException(e); // in memory: does not happen
        } catch (RuntimeException | Error e) {
            pending.truncate(start); // whatever failed, nothing of the frame is sent
            throw e;
        }
        pendingFrames++;
        beforeWrite.run();
        written();
    }

    /**
     * A frame has been appended: writes it now, unless a burst is under way, in which case the
     * flusher writes it within its next poll. The caller holds the send lock.
     */
    private void written() {
        if (streaming && pending.size() < HIGH_WATER_BYTES) {
            return;
        }
        boolean burst = System.nanoTime() - lastWriteEnd < BURST_NANOS;
        writeLock.lock();
        try {
            writePending();
        } finally {
            writeLock.unlock();
        }
        lastWriteEnd = System.nanoTime();
        if (burst) {
            wakeFlusher();
        }
    }

    /**
     * Starts a burst: the flusher writes from now on. Starts the flusher's thread the first
     * time; a pipe whose sends never come in a burst (a round trip at a time) never needs one.
     * The caller holds the send lock.
     */
    private void wakeFlusher() {
        streaming = true; // before reading `flusher`: a flusher that publishes itself later sees it
        if (!flusherStarted) {
            flusherStarted = true;
            Daemons.run(flusherName, this::flushLoop);
        }
        Thread f = flusher;
        if (f != null) {
            LockSupport.unpark(f);
        }
    }

    /** Package access for tests: whether a burst is under way. */
    boolean streaming() {
        return streaming;
    }

    /** Package access for tests: how many batches the flusher has written. */
    long flusherBatches() {
        return flusherBatches;
    }

    /** Whether the calling thread holds the send or the write lock. */
    boolean isHeldByCurrentThread() {
        return sendLock.isHeldByCurrentThread() || writeLock.isHeldByCurrentThread();
    }

    /**
     * The flusher thread: while a burst lasts, writes what senders have appended; each write
     * starts a new poll, and a poll that finds nothing ends the burst.
     */
    private void flushLoop() {
        flusher = Thread.currentThread(); // before the first look at `streaming`: no wake-up is lost
        while (termination.isOpen()) {
            if (!streaming) {
                LockSupport.park(this);
                continue;
            }
            try {
                WaitPolicy.FLUSH.await(this::flushPending, Long.MAX_VALUE, () -> false, nanos -> endBurst());
            } catch (IOException e) {
                throw new UncheckedIOException(e); // flushing reports write failures to the termination
            }
        }
    }

    /**
     * Writes what is pending, if anything.
     *
     * @return {@code true} if it wrote a batch or the burst is over, {@code false} if nothing
     *     was pending
     */
    private boolean flushPending() {
        if (!streaming || !termination.isOpen()) {
            return true;
        }
        FrameBuffer batch;
        sendLock.lock();
        try {
            if (pending.size() == 0) {
                return false;
            }
            if (pendingFrames == 1) {
                streaming = false; // one frame since the last write: not a burst (a round trip, say)
            }
            batch = pending;
            pending = spare;
            pendingFrames = 0;
            writeLock.lock(); // before sendLock is released: writes keep their order
        } finally {
            sendLock.unlock();
        }
        try {
            writeAll(batch);
            flusherBatches++;
        } catch (RuntimeException e) {
            streaming = false; // the next send reports it
        } finally {
            spare = batch;
            writeLock.unlock();
        }
        return true;
    }

    /** The flusher polled long enough without finding a frame: the burst is over. */
    private void endBurst() {
        sendLock.lock();
        try {
            if (pending.size() == 0) {
                streaming = false;
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Writes and empties the pending frames; the caller holds the send and the write lock. */
    private void writePending() {
        pendingFrames = 0;
        writeAll(pending);
    }

    /** Writes and empties a buffer, and what a layered channel still holds; the caller holds the write lock. */
    private void writeAll(FrameBuffer buffer) {
        ByteBuffer bytes = buffer.view();
        try {
            while (bytes.hasRemaining() || channel instanceof LayeredChannel layered && layered.hasPendingOutput()) {
                if (channel.write(bytes) == 0) {
                    writable.select(); // the socket's buffer is full: wait until it drains
                    writable.selectedKeys().clear();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            throw termination.peerLost(e);
        } finally {
            buffer.clear();
        }
    }

    /**
     * Writes what is pending, waiting for a write in flight (the flusher's) to end first.
     *
     * @throws PipeException if the pipe is closed or broken, or a writer has been stuck on a
     *     full socket for {@value #STUCK_MILLIS} ms
     */
    void flush() {
        try {
            if (!sendLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new PipeException("Could not flush: a send has been blocked for " + STUCK_MILLIS
                        + " ms on a full pipe; is the other side reading?");
            }
            try {
                termination.checkOpen();
                if (!writeLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new PipeException("Could not flush: a write has been blocked for " + STUCK_MILLIS
                            + " ms on a full pipe; is the other side reading?");
                }
                try {
                    if (pending.size() > 0) {
                        writePending();
                    }
                } finally {
                    writeLock.unlock();
                }
            } finally {
                sendLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipeException("Interrupted while flushing", e);
        }
    }

    /**
     * Writes what is pending, if that can be done without waiting long on a stuck writer, and
     * marks the pipe closed. Never blocks for much longer than {@value #STUCK_MILLIS} ms.
     */
    void close() {
        try {
            if (sendLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    /* The write lock too, even with nothing pending: the flusher may be writing
                       frames it took from `pending` a moment ago, and closing the channel under
                       that write would lose them. */
                    if (termination.isOpen() && writeLock.tryLock(STUCK_MILLIS, TimeUnit.MILLISECONDS)) {
                        try {
                            if (pending.size() > 0) {
                                writePending();
                            }
                        } catch (RuntimeException e) {
                            // the other side has gone: nothing to deliver it to
                        } finally {
                            writeLock.unlock();
                        }
                    }
                    termination.close();
                } finally {
                    sendLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        termination.close();
    }

    /** Lets the flusher end and wakes a writer waiting for room; once the channel is closed. */
    void release() {
        Closeables.closeQuietly(writable);
        Thread f = flusher;
        if (f != null) {
            LockSupport.unpark(f);
        }
    }
}
