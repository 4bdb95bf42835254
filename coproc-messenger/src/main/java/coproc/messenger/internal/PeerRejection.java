package coproc.messenger.internal;

import coproc.api.MessageRejectedException;

/**
 * The {@link MessageRejectedException} that a rejection from the other side makes (a
 * {@link FrameKind#REJECTED} frame): a class of its own, so that coproc can tell it from a
 * {@code MessageRejectedException} that the other side threw and sent with {@code sendError}.
 * It travels as a plain {@code MessageRejectedException} if it is itself sent on.
 */
public final class PeerRejection extends MessageRejectedException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param description what the other side could not decode, and why, as it said
     */
    PeerRejection(String description) {
        super("The other side dropped a message this side sent: " + description);
    }

    /** Serialized as a plain {@code MessageRejectedException}: elsewhere it is no rejection of that side's. */
    private Object writeReplace() {
        MessageRejectedException plain = new MessageRejectedException(getMessage());
        plain.setStackTrace(getStackTrace());
        return plain;
    }
}
