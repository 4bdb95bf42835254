package coproc.api;

import java.util.OptionalInt;

/**
 * Thrown by a host's receive when its worker ended while the host was waiting for it, or
 * had ended before: its target returned, or it exited, crashed or was killed. Every message the worker sent before
 * it died has been returned by earlier receives, with one exception: a worker killed by force
 * ({@code kill -9}, a crash of the JVM) loses what it had queued but not yet written, which is
 * at most the messages of a burst sent in the last few microseconds before it died (a worker
 * that ends normally, by {@code System.exit} or by an uncaught exception writes them first, and
 * {@link Messenger#flush()} writes them on demand).
 *
 * <p>The message gives the exit code (137 means killed by {@code SIGKILL}: 128 + 9) and the
 * last lines the worker wrote to standard error.
 */
public class WorkerDiedException extends PipeClosedException {

    private static final long serialVersionUID = 1L;

    private final Integer exitCode;
    private final String stderrTail;

    /**
     * Creates the exception.
     *
     * @param exitCode the worker's exit code, or {@code null} if unknown
     * @param stderrTail the last lines of the worker's standard error, possibly empty
     */
    public WorkerDiedException(Integer exitCode, String stderrTail) {
        super(describe(exitCode, stderrTail));
        this.exitCode = exitCode;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    private static String describe(Integer exitCode, String stderrTail) {
        StringBuilder text = new StringBuilder(exitCode != null && exitCode == 0 ? "The worker ended" : "The worker died");
        if (exitCode == null) {
            text.append(" (exit code unknown)");
        } else {
            text.append(" with exit code ").append(exitCode);
            if (exitCode > 128 && exitCode < 160) {
                text.append(" (killed by signal ").append(exitCode - 128).append(')');
            }
        }
        if (stderrTail != null && !stderrTail.isBlank()) {
            text.append(". Last lines of its stderr:\n").append(stderrTail.stripTrailing());
        }
        return text.toString();
    }

    /**
     * Returns the worker's exit code.
     *
     * @return the exit code, or empty if it is not known
     */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /**
     * Returns the last lines the worker wrote to standard error.
     *
     * @return the lines, possibly empty, never null
     */
    public String stderrTail() {
        return stderrTail;
    }
}
