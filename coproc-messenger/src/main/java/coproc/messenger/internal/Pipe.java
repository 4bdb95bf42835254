package coproc.messenger.internal;

import coproc.api.FrameTooLongException;
import coproc.api.PipeException;
import coproc.api.SerializationException;
import coproc.api.spi.Serializer;
import coproc.messenger.MessengerOptions;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One end of a framed duplex pipe: the facade over the parts that send and receive its
 * frames. The messenger on top gives the frames their meaning.
 *
 * <p>A send goes {@link DataFrameCodec} (or {@link ErrorCodec}) → {@link FrameWriter} →
 * {@link FrameSender}, which writes it or leaves it to its flusher thread. What arrives goes
 * {@link SocketReader} → {@link FrameReader} → {@link FrameDecoder} → {@link Inbox}, read by a
 * waiting receive or the reader thread. How the pipe ended is one {@link Termination}. Pipes
 * are opened by {@link PipeConnector}.
 *
 * <p>Sends are safe from any number of threads; {@link #awaitFrames} and {@link #pollFrames}
 * are called by one receiving thread at a time.
 */
public final class Pipe {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final ByteChannel channel;
    private final MessengerOptions options;
    private final Serializer[] serializers;
    private final DataFrameCodec codec;
    private final FrameWriter frames;
    private final Termination termination;
    private final Inbox inbox = new Inbox();
    private final FrameSender sender;
    private final FrameDecoder decoder;
    private final SocketReader reader;
    private final Selector readable;
    /** Numbers the pipe's threads. */
    private final int id = IDS.incrementAndGet();

    /**
     * Makes a pipe over a channel whose handshake is done; {@link #start} starts its threads.
     *
     * @param readable where reads wait, or {@code null} for a blocking channel
     * @param writable where writes wait for room, or {@code null} for a blocking channel
     */
    Pipe(ByteChannel channel, MessengerOptions options, Supplier<? extends RuntimeException> peerLoss,
            FrameReader incoming, Selector readable, Selector writable) {
        this.channel = channel;
        this.options = options;
        this.readable = readable;
        this.serializers = PreparedSerializers.take(options.serializer());
        this.codec = new DataFrameCodec(options.serializer(), serializers[0], serializers[1]);
        this.frames = new FrameWriter(options.maxFrameLength());
        this.termination = new Termination(peerLoss);
        this.sender = new FrameSender(channel, writable, termination, "coproc-flusher-" + id);
        this.decoder = new FrameDecoder(codec);
        this.reader = new SocketReader(channel, readable, incoming, decoder, inbox, termination, this::release);
    }

    /** Starts the reader thread; the flusher thread starts with the first burst of sends. */
    void start() {
        Daemons.run("coproc-reader-" + id, reader::readLoop);
    }

    /**
     * Returns what the reader has decoded.
     *
     * @return the inbox
     */
    public Inbox inbox() {
        return inbox;
    }

    /**
     * Sends a data frame.
     *
     * @param data the payload
     * @param channelId the channel
     * @param kind plain, request or reply
     * @param priority the payload's priority, or {@code NaN} if it has none
     * @param beforeWrite run under the send lock once the frame is encoded, before it is
     *     written: the place to count the send
     * @throws SerializationException if the payload or channel cannot be serialized; nothing
     *     was written
     * @throws FrameTooLongException if the frame is longer than the limit; nothing was written
     * @throws PipeException if the pipe is closed or broken
     */
    public void sendData(Object data, Object channelId, MessageKind kind, double priority, Runnable beforeWrite) {
        sender.send(out -> {
            int start = frames.begin(out, FrameKind.DATA);
            codec.encode(out, data, channelId, kind, priority);
            frames.end(out, start); // before counting: a refused frame is neither written nor counted
        }, beforeWrite);
    }

    /**
     * Sends an error frame.
     *
     * @param error the exception
     * @throws PipeException if the pipe is closed or broken
     */
    public void sendError(Throwable error) {
        sender.send(out -> {
            int start = frames.begin(out, FrameKind.ERROR);
            ErrorCodec.encode(error, out);
            frames.end(out, start);
        }, () -> { });
    }

    /**
     * Drops a message that did not decode here: logs it (logger {@code coproc.messenger}, at
     * WARNING) and tells the other side, whose next receive throws
     * {@code MessageRejectedException} with the description. Never blocks and never throws: the
     * notice is queued for the flusher, and dropped if the pipe has ended or is stuck.
     *
     * @param description what could not be decoded, and why
     */
    public void reject(String description) {
        PipeEvents.log().log(System.Logger.Level.WARNING, "Dropped a message from the other side: {0}", description);
        byte[] text = description.getBytes(StandardCharsets.UTF_8);
        // In the background: the receive that drained it must not block on a full socket.
        sender.sendInBackground(out -> {
            int start = frames.begin(out, FrameKind.REJECTED);
            out.write(text, 0, Math.min(text.length, 8192));
            frames.end(out, start);
        });
    }

    /**
     * Sends a piece of what this process wrote to its standard output or error, in order with
     * the messages sent after it; the other side gives it to its {@link OutputSink}. Written
     * before this returns, unless a burst of frames is under way, in which case the flusher
     * writes it within its next poll.
     *
     * @param standardError {@code true} for standard error, {@code false} for standard output
     * @param bytes the array holding the piece
     * @param offset where it starts
     * @param length its length: at most the frame limit less 16 bytes
     * @throws FrameTooLongException if the piece does not fit in a frame; nothing was written
     * @throws PipeException if the pipe is closed or broken
     */
    public void sendOutput(boolean standardError, byte[] bytes, int offset, int length) {
        sender.send(out -> {
            int start = frames.begin(out, FrameKind.OUTPUT);
            out.write(standardError ? Wire.STDERR : Wire.STDOUT);
            out.write(bytes, offset, length);
            frames.end(out, start);
        }, () -> { });
    }

    /**
     * Returns whether the calling thread is inside a send or write of this pipe: output it
     * writes now must not be sent on this pipe (a log line from inside a send, say).
     *
     * @return {@code true} inside a send or write
     */
    public boolean isSendingOnCurrentThread() {
        return sender.isHeldByCurrentThread();
    }

    /** Package access for tests: how many batches the flusher thread has written. */
    long flusherBatches() {
        return sender.flusherBatches();
    }

    /** Package access for tests: whether a burst is under way, its frames left to the flusher. */
    boolean streaming() {
        return sender.streaming();
    }

    /**
     * Makes receives on this pipe block at once instead of polling first, for a pipe to
     * another machine: there, replies take longer than a poll waits, and polling takes the CPU
     * that the forwarding needs.
     */
    public void receiveWithoutPolling() {
        reader.receiveWithoutPolling();
    }

    /**
     * Sets where the other side's output frames go from now on; until then, to this JVM's
     * {@code System.out} and {@code System.err} ({@link OutputSink#HOST_STREAMS}). The sink's
     * {@link OutputSink#end} is called when the pipe ends or is closed (more than once, maybe).
     *
     * @param sink takes the output
     */
    public void output(OutputSink sink) {
        decoder.output(sink);
    }

    /**
     * Sends a close request frame. Waits at most {@value FrameSender#STUCK_MILLIS} ms for a
     * send that is blocked on a full pipe, so that a stop ladder never hangs on it.
     *
     * @throws PipeException if the pipe is closed, broken, or stuck
     */
    public void sendCloseRequest() {
        sender.sendUrgently(out -> frames.end(out, frames.begin(out, FrameKind.CLOSE)));
    }

    /**
     * Writes what senders have queued and not yet written; see {@code Messenger.flush}.
     *
     * @throws PipeException if the pipe is closed, broken, or stuck
     */
    public void flush() {
        sender.flush();
    }

    /**
     * Waits until something is in the inbox: reads the socket itself when it can, or else
     * waits for the reader thread. The caller is the messenger's one receiving thread.
     *
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @return {@code true} if the inbox has something, {@code false} if the deadline passed
     * @throws coproc.api.CoprocException if the thread is interrupted; its flag stays set
     */
    public boolean awaitFrames(long deadline) {
        return reader.awaitFrames(deadline);
    }

    /** Reads what has arrived into the inbox, without waiting, if no one else is reading. */
    public void pollFrames() {
        reader.pollFrames();
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return termination.isClosed();
    }

    /**
     * Writes what is pending, if that can be done without waiting on a stuck writer; then, if
     * the other side's output goes to a sink that was set, gives it the output frames that have
     * arrived and not been read (waiting at most {@value SocketReader#CLOSE_DRAIN_MILLIS} ms for
     * the reader), so that what a worker printed before it ended is not lost; then closes the
     * channel. The reader and flusher threads end. Idempotent; never blocks for long.
     */
    public void close() {
        sender.close();
        if (decoder.takesOutput()) {
            reader.drainOutputAtClose();
        }
        release();
        for (Serializer serializer : serializers) {
            if (serializer instanceof KryoSerializer kryo) {
                kryo.recycle(); // a send or receive racing with this close ends first, or meets a closed pipe
            }
        }
    }

    /** Closes the channel and the selectors and lets the threads end. Idempotent. */
    private void release() {
        Closeables.closeQuietly(channel);
        decoder.endOutput();
        Closeables.closeQuietly(readable); // wakes a read waiting in it
        sender.release();
    }

    /** Package access for tests: the writer and the reader serializers this pipe took. */
    Serializer[] serializers() {
        return serializers.clone();
    }

    @Override
    public String toString() {
        return "Pipe[serializer=" + options.serializer() + (isClosed() ? ", closed" : "") + "]";
    }
}
