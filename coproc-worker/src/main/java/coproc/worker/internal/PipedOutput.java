package coproc.worker.internal;

import coproc.api.PipeException;
import coproc.messenger.internal.Pipe;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Carries what a worker JVM writes to {@code System.out} or {@code System.err} to the host as
 * output frames on its pipe, so that the host sees it in order with the worker's messages:
 * text printed before a message was sent is written out on the host before a receive returns
 * that message. Where the pipe cannot take it (closed or broken, or the writing thread is
 * inside one of the pipe's own sends), the text goes to the stream it replaced, which the
 * launcher copies to the host too, without that ordering. Thread-safe.
 */
final class PipedOutput extends OutputStream {

    /** The largest piece of output in one frame. */
    private static final int PIECE = 8192;

    private final Pipe pipe;
    private final boolean standardError;
    private final PrintStream replaced;
    private final int piece;
    private volatile boolean piped = true;

    private PipedOutput(Pipe pipe, boolean standardError, PrintStream replaced, int maxFrameLength) {
        this.pipe = pipe;
        this.standardError = standardError;
        this.replaced = replaced;
        this.piece = Math.min(PIECE, maxFrameLength - 16);
    }

    /**
     * Makes the streams that send this JVM's {@code System.out} and {@code System.err} over a
     * pipe, to be installed later: making them, their buffers and encoders, takes a fraction of
     * a millisecond that a worker spends while it waits for "go" rather than after it. Text is
     * buffered as the JDK's own streams buffer it: a line is sent when it ends, or on
     * {@code flush()}.
     *
     * @param pipe the worker's pipe to the host
     * @param maxFrameLength the pipe's frame limit
     * @return the streams, not yet installed
     */
    static Streams prepare(Pipe pipe, int maxFrameLength) {
        return new Streams(stream(new PipedOutput(pipe, false, System.out, maxFrameLength)),
                stream(new PipedOutput(pipe, true, System.err, maxFrameLength)));
    }

    /**
     * The streams {@link #prepare} made. A class of its own rather than a lambda, so that a
     * spare JVM loads it before it is taken.
     */
    static final class Streams {

        private final PrintStream out;
        private final PrintStream err;

        private Streams(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /** Makes them this JVM's {@code System.out} and {@code System.err}, from now on. */
        void install() {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static PrintStream stream(PipedOutput output) {
        return new PrintStream(new BufferedOutputStream(output, PIECE), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        int sent = 0;
        if (piped && !pipe.isSendingOnCurrentThread()) {
            try {
                while (sent < length) {
                    int n = Math.min(piece, length - sent);
                    pipe.sendOutput(standardError, bytes, offset + sent, n);
                    sent += n;
                }
            } catch (PipeException e) {
                piped = false; // the pipe has ended: from now on, the stream it replaced
            }
        }
        if (sent < length) {
            replaced.write(bytes, offset + sent, length - sent);
            replaced.flush();
        }
    }

    @Override
    public void flush() {
        if (piped && !pipe.isSendingOnCurrentThread()) {
            try {
                pipe.flush();
            } catch (PipeException e) {
                // ended (the next write goes to the replaced stream) or stuck (the frames are queued)
            }
        }
    }
}
