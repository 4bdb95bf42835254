package coproc.messenger.internal;

import coproc.api.CoprocException;
import coproc.api.Message;

/**
 * What the reader put in an {@link Inbox} for a receive to act on, in arrival order: a data
 * message to queue, or a system message or failure to throw.
 */
public sealed interface InboxItem {

    /**
     * A data message, for the channel queues.
     *
     * @param message the message
     */
    record Data(Message<Object> message) implements InboxItem {
    }

    /** The other side's close request: the receive that drains it throws {@code ResourceRequestedCloseException}. */
    record CloseRequest() implements InboxItem {

        /** The one instance. */
        static final CloseRequest INSTANCE = new CloseRequest();
    }

    /**
     * An exception the other side sent with {@code sendError}: the receive that drains it throws it.
     *
     * @param error the exception, as decoded
     */
    record RemoteError(Throwable error) implements InboxItem {

        /**
         * Throws the error, checked or not, noting where it came from (as a suppressed exception;
         * an error whose suppression is disabled, which a serialized exception can say of itself,
         * arrives without the note).
         *
         * @return never returns; declared so that callers can write {@code throw item.rethrow()}
         */
        public RuntimeException rethrow() {
            error.addSuppressed(new CoprocException("Sent by the other side of the pipe with sendError, and thrown"
                    + " here by the receive that drained it"));
            throw InboxItem.<RuntimeException>sneaky(error);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * A message whose value this side could not decode and dropped: the receive that drains it
     * logs it and tells the other side, which made the mistake, and throws nothing.
     *
     * @param description what could not be decoded, and why
     */
    record Undecodable(String description) implements InboxItem {
    }

    /**
     * A frame this side could not read and dropped; the pipe stays usable: the receive that
     * drains it throws the error.
     *
     * @param error what went wrong, naming the frame
     */
    record Failure(RuntimeException error) implements InboxItem {
    }
}
