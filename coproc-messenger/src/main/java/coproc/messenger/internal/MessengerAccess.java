package coproc.messenger.internal;

import coproc.api.Message;
import coproc.messenger.PipeMessenger;
import java.util.function.BiFunction;

/**
 * What coproc.worker may do with a {@link PipeMessenger} beyond its public API, which
 * {@link PipeMessenger} grants here when it is initialised (this package is exported to
 * coproc.worker only).
 */
public final class MessengerAccess {

    private static volatile BiFunction<PipeMessenger, Object, Message<Object>> receiveAhead;

    private MessengerAccess() {
    }

    /**
     * Called once, by {@link PipeMessenger}.
     *
     * @param access its receiveAhead
     */
    public static void grant(BiFunction<PipeMessenger, Object, Message<Object>> access) {
        if (receiveAhead != null) {
            throw new IllegalStateException("granted already");
        }
        receiveAhead = access;
    }

    /**
     * Receives the next message on a channel, blocking, and leaves whatever arrived after it,
     * system messages too, to the receives that follow; a system message that arrived before
     * it is thrown, as any receive throws it.
     *
     * @param messenger the messenger, which no other thread receives from meanwhile
     * @param channel the channel
     * @return the message
     */
    public static Message<Object> receiveAhead(PipeMessenger messenger, Object channel) {
        return receiveAhead.apply(messenger, channel);
    }
}
