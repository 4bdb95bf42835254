package coproc.worker.pool.internal;

import java.io.Serializable;
import java.util.List;

/**
 * The messages between a pool's host and its workers, and the channels they travel on.
 *
 * <p>Host to worker, on {@link #TASKS}: {@link LoadFunction}, then {@link Chunk}s that name it;
 * on {@link #CONTROL}: {@link Cancel}. Worker to host, on {@link #TASKS}, one or more
 * {@link Done} per chunk (more when the results do not fit in one frame), or one
 * {@link Skipped}, or a {@link Failed} followed at once by the item's exception, sent with
 * {@code sendError}. Either side may send several of its messages, but never a
 * {@code Failed}, in one {@link Batch}. Every record is {@link Serializable} so that the
 * {@code java} serializer carries them too.
 */
public final class Wire {

    /** The channel of functions and chunks, and of the workers' replies. */
    public static final String TASKS = "coproc.pool.tasks";

    /** The channel of cancellations, which a worker reads between items. */
    public static final String CONTROL = "coproc.pool.control";

    private Wire() {
    }

    /**
     * A function for the worker to keep under an id.
     *
     * @param id the id that chunks name it by
     * @param function the function, JDK-serialized by {@link FunctionCodec#encode}
     * @param forget the id of a function the worker may drop, or {@code -1}
     */
    public record LoadFunction(long id, byte[] function, long forget) implements Serializable {
    }

    /**
     * Items to map.
     *
     * @param ticket the host's number for this sending of the chunk, echoed by the replies
     * @param call the call the chunk belongs to, for cancellation
     * @param function the id of the function to apply
     * @param items the items, in order
     */
    public record Chunk(long ticket, long call, long function, List<Object> items) implements Serializable {
    }

    /**
     * Messages sent together, in one frame, to be read in order.
     *
     * @param messages the messages
     */
    public record Batch(List<Object> messages) implements Serializable {
    }

    /**
     * Asks a worker to skip the rest of a call's chunks.
     *
     * @param call the call
     */
    public record Cancel(long call) implements Serializable {
    }

    /**
     * Results of consecutive items of a chunk.
     *
     * @param ticket the chunk's ticket
     * @param offset the index in the chunk of the first result
     * @param results the results, in order
     * @param nanos how long the worker took to compute the chunk (on its first piece only)
     */
    public record Done(long ticket, int offset, List<Object> results, long nanos) implements Serializable {
    }

    /**
     * An item of a chunk failed; its exception follows as a system message.
     *
     * @param ticket the chunk's ticket
     * @param offset the index of the item in the chunk
     */
    public record Failed(long ticket, int offset) implements Serializable {
    }

    /**
     * A chunk was not finished because its call was cancelled.
     *
     * @param ticket the chunk's ticket
     */
    public record Skipped(long ticket) implements Serializable {
    }
}
