package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.Closeables;
import coproc.messenger.internal.Daemons;
import coproc.messenger.internal.OutputSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A worker JVM: its process, the threads that copy its standard output and standard error to
 * where the spec says, and the excerpt of its standard error that error messages quote. Once
 * the worker runs its target, its {@code System.out} and {@code System.err} come as output
 * frames on its pipe instead ({@link #pipeOutput}), to the same places.
 */
final class JvmWorker implements WorkerProcess, OutputFramesWorker {

    private final Process process;
    private final StderrExcerpt excerpt = new StderrExcerpt();
    private final SharedSink stdout;
    private final SharedSink stderr;
    private final Thread stderrPump;

    /**
     * Starts copying the worker's output, and writes its stdin (on a thread of its own: a pipe
     * takes 64 KiB before it blocks, or less), which it then closes.
     *
     * @param process the worker JVM
     * @param stdin what to write to its standard input, or {@code null} to leave it to the caller
     * @param stdout takes its standard output's text
     * @param stderr takes its standard error's text
     */
    JvmWorker(Process process, byte[] stdin, Consumer<String> stdout, Consumer<String> stderr) {
        this(process, stdin == null ? null : CompletableFuture.completedFuture(stdin), stdout, stderr);
    }

    /**
     * As {@link #JvmWorker(Process, byte[], Consumer, Consumer)}, with a standard input that is
     * written once it is known; if it fails, the worker is killed.
     *
     * @param process the worker JVM
     * @param stdin what to write to its standard input, in the future, or {@code null} to leave
     *     it to the caller
     * @param stdout takes its standard output's text
     * @param stderr takes its standard error's text
     */
    JvmWorker(Process process, CompletableFuture<byte[]> stdin, Consumer<String> stdout, Consumer<String> stderr) {
        this.process = process;
        this.stdout = new SharedSink(stdout);
        this.stderr = new SharedSink(text -> {
            excerpt.add(text);
            stderr.accept(text);
        }, stderr);
        Daemons.start("coproc-stdout-" + process.pid(), () -> pump(process.getInputStream(), this.stdout));
        this.stderrPump = Daemons.start("coproc-stderr-" + process.pid(), () -> pump(process.getErrorStream(),
                this.stderr));
        if (stdin != null) {
            writeAndClose(stdin);
        }
    }

    private void writeAndClose(CompletableFuture<byte[]> stdin) {
        Daemons.start("coproc-stdin-" + process.pid(), () -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.join());
            } catch (IOException e) {
                // the worker has gone; start() reports how it ended
            } catch (RuntimeException e) {
                this.stderr.text.accept("coproc: could not make the worker's standard input: " + e + "\n");
                process.destroyForcibly();
            }
        });
    }

    /**
     * Returns where the worker's output frames go: to the same places as its pumped output;
     * the sinks are closed once both the pumps and the pipe have ended.
     *
     * @return the sink for the worker's pipe
     */
    @Override
    public OutputSink pipeOutput() {
        stdout.share();
        stderr.share();
        return new OutputText(stdout.text, stderr.text, () -> {
            stdout.release();
            stderr.release();
        });
    }

    /**
     * Copies a stream's text to a sink as it arrives, in pieces (a piece ends where a read
     * ended, so a line written without its line end yet arrives at once), until the stream
     * ends; then releases the sink.
     */
    private static void pump(InputStream stream, SharedSink sink) {
        try (Reader text = new InputStreamReader(stream, Charset.defaultCharset())) {
            char[] buffer = new char[8192];
            int n;
            while ((n = text.read(buffer)) >= 0) {
                try {
                    sink.text.accept(new String(buffer, 0, n));
                } catch (RuntimeException e) {
                    // a sink that fails loses the text, not the worker: the pipe must keep draining
                }
            }
        } catch (IOException ignored) {
            // the worker has gone
        } finally {
            sink.release();
        }
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public void stop() {
        process.destroy();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public String stderrTail() {
        try {
            if (!process.isAlive()) {
                stderrPump.join(500); // let it read the last lines
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return excerpt.text();
    }

    @Override
    public String toString() {
        return "jvm worker " + process.pid() + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")");
    }

    /**
     * A sink that the pump of a stream and the pipe's output frames both write to; closed, if
     * it can be closed, when the last of them ends.
     */
    private static final class SharedSink {

        final Consumer<String> text;
        private final Object closeable;
        private final AtomicInteger writers = new AtomicInteger(1);

        SharedSink(Consumer<String> text) {
            this(text, text);
        }

        SharedSink(Consumer<String> text, Object closeable) {
            this.text = text;
            this.closeable = closeable;
        }

        void share() {
            writers.incrementAndGet();
        }

        void release() {
            if (writers.decrementAndGet() == 0 && closeable instanceof AutoCloseable c) {
                Closeables.closeQuietly(c);
            }
        }
    }
}
