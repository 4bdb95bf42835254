package coproc.messenger.internal;

import java.io.PrintStream;

/**
 * Takes the text a worker process writes to its standard output and standard error, which a
 * worker JVM sends on its pipe as frames of their own (see {@link Pipe#sendOutput}): the text
 * then reaches the host in order with the messages, and a receive that returns a message
 * happens after the text written before it was sent has been given to the sink. Called by
 * whoever reads the pipe, one call at a time; a sink that throws loses that text, not the
 * pipe. {@link #end} may come while a last write is under way, from the thread closing the pipe. A sink that blocks holds up the pipe's reading, as a full pipe would.
 */
@FunctionalInterface
public interface OutputSink {

    /** Writes standard output's bytes to this JVM's {@code System.out}, standard error's to {@code System.err}. */
    OutputSink HOST_STREAMS = (standardError, bytes, offset, length) -> {
        PrintStream stream = standardError ? System.err : System.out;
        stream.write(bytes, offset, length);
        stream.flush();
    };

    /**
     * Takes a piece of output: UTF-8, possibly cut inside a character.
     *
     * @param standardError {@code true} for standard error, {@code false} for standard output
     * @param bytes the array holding the piece, valid only during the call
     * @param offset where it starts
     * @param length its length
     */
    void write(boolean standardError, byte[] bytes, int offset, int length);

    /** Called once no more output will come: the pipe has ended or was closed. Does nothing by default. */
    default void end() {
    }
}
