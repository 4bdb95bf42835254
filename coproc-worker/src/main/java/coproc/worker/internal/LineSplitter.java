package coproc.worker.internal;

import java.util.function.Consumer;

/**
 * Cuts text that arrives in pieces into lines, without their line ends, for a consumer of
 * lines; on {@link #close()}, a last line that never got its line end. Thread-safe.
 */
public final class LineSplitter implements Consumer<String>, AutoCloseable {

    private final Consumer<String> lines;
    /** The line under way; guarded by this. */
    private final StringBuilder partial = new StringBuilder();

    /**
     * Creates a splitter.
     *
     * @param lines takes each line
     */
    public LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    /**
     * Takes a piece of text, line ends included, and gives the consumer every line it ends.
     *
     * @param text the piece
     */
    @Override
    public synchronized void accept(String text) {
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            partial.append(text, start, end);
            int length = partial.length();
            lines.accept(partial.substring(0, length > 0 && partial.charAt(length - 1) == '\r' ? length - 1 : length));
            partial.setLength(0);
            start = end + 1;
        }
        partial.append(text, start, text.length());
    }

    /** Returns the line under way, not yet ended; empty if none. */
    synchronized String partial() {
        return partial.toString();
    }

    /** Gives the consumer the last line if it never got its line end. */
    @Override
    public synchronized void close() {
        if (partial.length() > 0) {
            lines.accept(partial.toString());
            partial.setLength(0);
        }
    }
}
