package coproc.api;

/**
 * Thrown by a send when the payload or channel cannot be serialized by the active serializer.
 * Nothing was written: the messenger stays usable. The message names the class and the fix.
 */
public class SerializationException extends CoprocException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and, where it helps, what to do about it
     */
    public SerializationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened and, where it helps, what to do about it
     * @param cause the underlying failure
     */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
