package coproc.api;

/**
 * Stands for an exception sent by the other side that cannot be thrown as itself here:
 * a checked exception, one whose class is missing on this side, or one that could not be
 * serialized. It carries the original's class name and message, and the original's stack
 * trace as its own. When the original could be deserialized it is the {@linkplain #getCause()
 * cause}; otherwise the cause chain is rebuilt from the same descriptions.
 */
public final class RemoteWorkerException extends CoprocException {

    private static final long serialVersionUID = 1L;

    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * Creates the exception.
     *
     * @param remoteClassName the fully qualified class name of the original exception
     * @param remoteMessage the original's message, possibly {@code null}
     * @param remoteStackTrace the original's stack trace, from the other side
     * @param cause the original, or a stand-in for its cause, or {@code null}
     */
    public RemoteWorkerException(String remoteClassName, String remoteMessage,
            StackTraceElement[] remoteStackTrace, Throwable cause) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), cause);
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage;
        setStackTrace(remoteStackTrace);
    }

    /**
     * Returns the class name of the original exception.
     *
     * @return the fully qualified class name
     */
    public String remoteClassName() {
        return remoteClassName;
    }

    /**
     * Returns the message of the original exception.
     *
     * @return the message, possibly {@code null}
     */
    public String remoteMessage() {
        return remoteMessage;
    }
}
