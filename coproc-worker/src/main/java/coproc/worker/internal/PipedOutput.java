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
     * Sends this JVM's {@code System.out} and {@code System.err} over a pipe from now on. Text
     * is buffered as the JDK's own streams buffer it: a line is sent when it ends, or on
     * {@code flush()}.
     *
     * @param pipe the worker's pipe to the host
     * @param maxFrameLength the pipe's frame limit
     */
    static void install(Pipe pipe, int maxFrameLength) {
        System.setOut(stream(new PipedOutput(pipe, false, System.out, maxFrameLength)));
        System.setErr(stream(new PipedOutput(pipe, true, System.err, maxFrameLength)));
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
