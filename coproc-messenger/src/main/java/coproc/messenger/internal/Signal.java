package coproc.messenger.internal;

/**
 * An inbox item that is not a data message: something a receive must throw.
 *
 * @param error what to throw
 * @param terminal whether the pipe is finished: nothing follows, and every later receive that
 *     finds its channel empty throws the same
 * @param remote whether the other side sent it with {@code sendError}
 */
public record Signal(Throwable error, boolean terminal, boolean remote) {

    /** The marker of a close request; the receive makes a fresh exception for it. */
    public static final Signal CLOSE_REQUEST = new Signal(null, false, false);
}
