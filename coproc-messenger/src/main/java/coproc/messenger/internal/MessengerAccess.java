package coproc.messenger.internal;

import coproc.api.Message;
import coproc.messenger.MessengerKind;
import coproc.messenger.PipeMessenger;

/**
 * The door through which coproc's own modules reach what {@link PipeMessenger} does not
 * publish: making a messenger over an internal {@link Pipe}, and the two receives that a
 * worker's start needs. {@code PipeMessenger} installs the one {@link Bridge} when its class
 * is initialised (the pattern of the JDK's {@code SharedSecrets}), so none of this is API.
 */
public final class MessengerAccess {

    /** What {@code coproc.messenger} offers its internal callers. */
    public interface Bridge {

        /**
         * Makes a messenger of a kind over a pipe.
         *
         * @param kind the kind
         * @param pipe the pipe, which the messenger owns from now on
         * @return the messenger
         */
        PipeMessenger create(MessengerKind kind, Pipe pipe);

        /**
         * Returns a messenger's pipe.
         *
         * @param messenger the messenger
         * @return its pipe
         */
        Pipe pipe(PipeMessenger messenger);

        /**
         * Moves what has arrived into the queues, acting on system messages as any receive does
         * (so a pending error or close request is thrown here), unless another thread is
         * receiving right now, in which case it does nothing: that receive will meet them.
         * Never blocks.
         *
         * @param messenger the messenger
         * @return {@code true} if it drained, {@code false} if another thread was receiving
         */
        boolean drainIfIdle(PipeMessenger messenger);

        /**
         * Receives the next message on a channel, blocking, keeping the order in which it and
         * the system messages arrived: an error or close request that arrived before the
         * message is thrown, as by any receive, while one that arrived after it is left to the
         * next receive. For a handshake on top of a messenger, where the last message of the
         * handshake may have a close request right behind it that belongs to what runs next.
         *
         * @param <T> the payload type
         * @param messenger the messenger
         * @param channel the channel
         * @return the message
         */
        <T> Message<T> receiveInArrivalOrder(PipeMessenger messenger, Object channel);
    }

    private static volatile Bridge bridge;

    private MessengerAccess() {
    }

    /**
     * Installs the bridge; called once, by {@link PipeMessenger}'s class initialisation.
     *
     * @param implementation the bridge
     * @throws IllegalStateException if a bridge is installed already
     */
    public static synchronized void install(Bridge implementation) {
        if (bridge != null) {
            throw new IllegalStateException("The messenger bridge is installed already");
        }
        bridge = implementation;
    }

    /**
     * Returns the bridge, initialising {@link PipeMessenger} if need be.
     *
     * @return the bridge
     */
    public static Bridge bridge() {
        Bridge installed = bridge;
        if (installed == null) {
            try {
                Class.forName(PipeMessenger.class.getName(), true, PipeMessenger.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e); // it is in this module
            }
            installed = bridge;
        }
        return installed;
    }
}
