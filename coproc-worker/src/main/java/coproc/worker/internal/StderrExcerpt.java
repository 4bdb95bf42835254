package coproc.worker.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The part of a worker's standard error that an error message quotes: its last
 * {@value #LINES} lines and, when those start inside a stack trace, the headline of that
 * trace (the last line before them that is not a stack frame), so that the message says
 * which exception it was. Thread-safe: one thread adds, any thread reads.
 */
final class StderrExcerpt {

    static final int LINES = 20;

    /** Guarded by this. */
    private final Deque<String> tail = new ArrayDeque<>();
    /** The last line that is not part of a stack trace, of those dropped from the tail; guarded by this. */
    private String headline;
    /** Cuts the text into lines for {@link #addLine}; lock order: the splitter's, then this. */
    private final LineSplitter lines = new LineSplitter(this::addLine);

    /**
     * Adds text as it arrives: whole lines, or pieces of them.
     *
     * @param text the text, line ends included
     */
    void add(String text) {
        lines.accept(text);
    }

    private synchronized void addLine(String line) {
        if (tail.size() == LINES) {
            String dropped = tail.removeFirst();
            if (!isStackLine(dropped)) {
                headline = dropped;
            }
        }
        tail.addLast(line);
    }

    /** Whether a line continues a stack trace: a frame, an elision, a cause or a suppressed exception. */
    private static boolean isStackLine(String line) {
        String trimmed = line.stripLeading();
        return line.startsWith("\t") || line.startsWith(" ") || trimmed.startsWith("at ") || trimmed.startsWith("...")
                || trimmed.startsWith("Caused by:") || trimmed.startsWith("Suppressed:");
    }

    /**
     * Returns the excerpt: the headline, if the tail starts inside its trace, a line saying
     * that lines were left out, and the tail.
     *
     * @return the lines, joined with the line separator; empty if there were none
     */
    String text() {
        String unended = lines.partial(); // outside this lock: the splitter takes its own, then this one
        StringBuilder text = new StringBuilder();
        synchronized (this) {
            if (headline != null && !tail.isEmpty() && isStackLine(tail.peekFirst())) {
                text.append(headline).append(System.lineSeparator()).append("\t... (lines left out)")
                        .append(System.lineSeparator());
            }
            text.append(String.join(System.lineSeparator(), tail));
            if (!unended.isEmpty()) {
                text.append(tail.isEmpty() ? "" : System.lineSeparator()).append(unended);
            }
        }
        return text.toString();
    }
}
