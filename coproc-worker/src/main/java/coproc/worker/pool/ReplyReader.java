package coproc.worker.pool;

import coproc.api.MessageRejectedException;
import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import coproc.messenger.internal.PeerRejection;
import coproc.worker.pool.internal.Wire;
import java.util.ArrayDeque;

/**
 * Reads a pool worker's replies and tells an item's failure from the loss of the worker.
 *
 * <p>A worker reports a failed item with a {@link Wire.Failed} and then the exception, sent
 * with {@code sendError}; a receive throws the exception as soon as it drains it, before or
 * after it pops the {@code Failed}, which arrived first. So when a receive throws, this
 * reader pairs the exception with a {@code Failed} it popped, or one that is already queued;
 * an exception with none is not an item's: the worker's target failed (out of memory, say),
 * or the pipe failed, and the worker is reported lost, as it is when it dies. A rejection
 * ({@link PeerRejection}, not a {@link MessageRejectedException} that the worker threw) is
 * neither: the worker could not decode a message it was sent, dropped it and goes on. Replies
 * that came together in a {@link Wire.Batch} are returned one by one.
 *
 * <p>For the one thread that receives from the messenger.
 */
final class ReplyReader {

    /**
     * An item failed.
     *
     * @param failed which
     * @param cause what the worker threw
     */
    record ItemError(Wire.Failed failed, Throwable cause) {
    }

    /**
     * The worker died, or its pipe failed: the replies of the chunks it had will not come.
     *
     * @param cause why
     */
    record Lost(Throwable cause) {
    }

    /**
     * The worker could not decode a message it was sent (a chunk whose items' classes it
     * cannot load, say), dropped it, and goes on; which message is not said.
     *
     * @param cause what the worker's serializer said
     */
    record Rejected(MessageRejectedException cause) {

        /**
         * The exception that fails the call of the chunk that was dropped: decoding it again
         * would fail again.
         *
         * @param chunk the chunk's index in its call
         * @param firstItem the index of its first item in the call's input
         * @param items how many items it has
         * @return the exception, with the worker's rejection as its cause
         */
        MessageRejectedException exception(int chunk, long firstItem, int items) {
            MessageRejectedException failure = new MessageRejectedException("Chunk " + chunk + " (items "
                    + firstItem + " to " + (firstItem + items - 1) + ") did not decode in its worker, which dropped"
                    + " it and goes on: " + cause.getMessage() + ". Can the worker load the items' classes, and"
                    + " its serializer read them?");
            failure.initCause(cause);
            return failure;
        }
    }

    private final Messenger messenger;
    private final ArrayDeque<Wire.Failed> failures = new ArrayDeque<>();
    private final ArrayDeque<Throwable> errors = new ArrayDeque<>();
    /** What is left of the last {@link Wire.Batch} received. */
    private final ArrayDeque<Object> batched = new ArrayDeque<>();

    ReplyReader(Messenger messenger) {
        this.messenger = messenger;
    }

    /**
     * Blocks for the next reply.
     *
     * @return a {@link Wire.Done}, a {@link Wire.Skipped}, an {@link ItemError}, a {@link Rejected} or a
     *     {@link Lost}
     * @throws coproc.api.CoprocException if the thread is interrupted (the flag stays set)
     */
    Object next() {
        while (true) {
            if (!failures.isEmpty() && !errors.isEmpty()) {
                return new ItemError(failures.poll(), errors.poll());
            }
            if (!batched.isEmpty()) {
                return batched.poll(); // a batch never holds a Failed
            }
            if (!errors.isEmpty() && messenger.queueSize(Wire.TASKS) == 0) {
                return lost(errors.poll()); // no Failed came before it: not an item's exception
            }
            Object reply;
            try {
                reply = messenger.receiveBlocking(Wire.TASKS);
            } catch (PipeClosedException e) {
                return lost(e);
            } catch (PeerRejection e) {
                return new Rejected(e);
            } catch (Throwable e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                errors.add(e);
                continue;
            }
            if (reply instanceof Wire.Failed failed) {
                failures.add(failed);
            } else if (reply instanceof Wire.Batch batch) {
                batched.addAll(batch.messages());
            } else {
                return reply;
            }
        }
    }

    private Lost lost(Throwable cause) {
        for (Throwable error : errors) {
            if (error != cause) {
                cause.addSuppressed(error);
            }
        }
        errors.clear();
        failures.clear();
        batched.clear();
        return new Lost(cause);
    }
}
