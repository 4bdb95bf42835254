package coproc.worker;

import coproc.worker.internal.LineSplitter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where the lines a worker process writes to its standard output or standard error go: the
 * host's {@code System.out} or {@code System.err} (as they are when each line arrives, so that
 * a test or a logger that replaced them sees the worker's lines), a file, a consumer of lines,
 * or nowhere. Chosen with {@link WorkerOptions#withStdout} and {@link WorkerOptions#withStderr}.
 * Immutable and thread-safe. Workers of the {@code thread} launcher write to the host's streams
 * directly and are not redirected.
 *
 * <p>Ordering: what a {@code jvm} worker's target writes to {@code System.out} or
 * {@code System.err} travels on its pipe, in order with its messages, and has been given to
 * its output before a receive on the host returns a message the worker sent after writing it
 * (text is buffered in the worker as the JDK's own streams buffer it: a line goes when it ends,
 * or on {@code flush()}). Text written before the target starts, or to the file descriptors
 * directly (native code, child processes, the JVM's own messages), comes through the worker
 * process's pipes, in order within each stream but not with the messages.
 */
public final class WorkerOutput {

    private final String description;
    /** Makes the sink of one worker's stream. */
    private final Supplier<Consumer<String>> sinks;

    private WorkerOutput(String description, Supplier<Consumer<String>> sinks) {
        this.description = description;
        this.sinks = sinks;
    }

    /**
     * Returns the host's standard output, {@code System.out} as it is when each line arrives.
     *
     * @return the output
     */
    public static WorkerOutput toHostStdout() {
        return new WorkerOutput("host stdout", () -> text -> {
            System.out.print(text);
            System.out.flush();
        });
    }

    /**
     * Returns the host's standard error, {@code System.err} as it is when each line arrives.
     *
     * @return the output
     */
    public static WorkerOutput toHostStderr() {
        return new WorkerOutput("host stderr", () -> text -> {
            System.err.print(text);
            System.err.flush();
        });
    }

    /**
     * Returns a file that each worker's text is appended to (created if missing), in UTF-8,
     * written through as it arrives.
     *
     * @param file the file
     * @return the output
     */
    public static WorkerOutput toFile(Path file) {
        Objects.requireNonNull(file, "file");
        return new WorkerOutput("file " + file, () -> new FileLines(file));
    }

    /**
     * Returns a consumer that is given each line, without its line terminator, on a thread of
     * coproc's or on a thread that is receiving from the worker, one line at a time per stream;
     * it must not block for long: the worker's messages wait while it runs.
     *
     * @param lines the consumer
     * @return the output
     */
    public static WorkerOutput toLines(Consumer<String> lines) {
        Objects.requireNonNull(lines, "lines");
        return new WorkerOutput("lines to " + lines, () -> new LineSplitter(lines));
    }

    /**
     * Returns nowhere: the lines are dropped (the last lines of standard error are still kept
     * for error messages).
     *
     * @return the output
     */
    public static WorkerOutput discard() {
        return new WorkerOutput("discard", () -> line -> { });
    }

    /** Makes the sink of one worker's stream; one that is {@link AutoCloseable} is closed at its end. */
    Consumer<String> sink() {
        return sinks.get();
    }

    @Override
    public String toString() {
        return description;
    }

    /** Appends text to a file, opened for one worker's stream and closed at its end. */
    private static final class FileLines implements Consumer<String>, AutoCloseable {

        private final BufferedWriter writer;

        FileLines(Path file) {
            try {
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the worker's output file " + file, e);
            }
        }

        @Override
        public synchronized void accept(String text) {
            try {
                writer.write(text);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            writer.close();
        }
    }
}
