package coproc.worker.internal;

import coproc.messenger.internal.Closeables;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Passes a worker's standard output on, but its first line, which the remote shell that
 * started the worker ({@code ssh}, {@code srun}) printed about it, such as its process id:
 * that line completes a future. A first line of another form completes it with {@code null},
 * and is passed on. Thread-safe.
 */
final class FirstLine implements Consumer<String>, AutoCloseable {

    private final Consumer<String> output;
    private final CompletableFuture<String> line;
    private final Predicate<String> expected;
    private final StringBuilder first = new StringBuilder();

    /**
     * @param output takes the rest of the output
     * @param line completed with the first line, stripped
     * @param expected whether a stripped first line is the expected one
     */
    FirstLine(Consumer<String> output, CompletableFuture<String> line, Predicate<String> expected) {
        this.output = output;
        this.line = line;
        this.expected = expected;
    }

    @Override
    public synchronized void accept(String text) {
        if (line.isDone()) {
            output.accept(text);
            return;
        }
        int end = text.indexOf('\n');
        first.append(end < 0 ? text : text.substring(0, end));
        if (end >= 0) {
            String stripped = first.toString().strip();
            if (expected.test(stripped)) {
                line.complete(stripped);
            } else {
                line.complete(null);
                output.accept(first + "\n");
            }
            if (end + 1 < text.length()) {
                output.accept(text.substring(end + 1));
            }
        }
    }

    @Override
    public void close() {
        if (output instanceof AutoCloseable closeable) {
            Closeables.closeQuietly(closeable);
        }
    }
}
