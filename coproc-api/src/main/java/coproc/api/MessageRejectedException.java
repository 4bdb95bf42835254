package coproc.api;

/**
 * Thrown by a receive on the side that sent a message the other side could not decode (a
 * class missing there, a payload its serializer refused): the other side dropped that message,
 * logged it and carries on with its state intact, and told this side, whose next receive
 * throws this, as it throws a system message. The message names the class or the reason, as
 * the other side's serializer gave it. This messenger stays usable.
 */
public class MessageRejectedException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the other side could not decode, and why
     */
    public MessageRejectedException(String message) {
        super(message);
    }
}
