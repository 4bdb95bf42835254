package coproc.messenger.internal;

/** Closes what is best-effort to close: a failure to close is ignored, never thrown. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes something, ignoring a failure.
     *
     * @param closeable what to close, or {@code null}
     */
    public static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
