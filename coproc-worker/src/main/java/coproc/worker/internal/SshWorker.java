package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.Closeables;
import coproc.messenger.internal.OutputSink;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A worker JVM on another machine, seen through the local {@code ssh} client that runs it:
 * its pid is the remote one (the first line of the session's output), signals go to it by a
 * remote {@code kill}, and its output, exit code and end are the client's, which passes
 * them on. When the client ends, its socket forward is cancelled.
 */
final class SshWorker implements WorkerProcess, OutputFramesWorker {

    /** How long {@link #pid()} waits for the remote shell to print it. */
    private static final long PID_WAIT_SECONDS = 10;

    private final JvmWorker client;
    private final SshConnection connection;
    private final CompletableFuture<Long> remotePid = new CompletableFuture<>();

    SshWorker(Process process, byte[] stdin, Consumer<String> stdout, Consumer<String> stderr,
            SshConnection connection, String forward) {
        this.connection = connection;
        this.client = new JvmWorker(process, stdin, new PidLine(stdout), stderr);
        process.onExit().thenRun(() -> {
            remotePid.complete(null);
            connection.cancelForward(forward);
        });
    }

    @Override
    public OptionalLong pid() {
        try {
            Long pid = remotePid.get(PID_WAIT_SECONDS, TimeUnit.SECONDS);
            return pid == null ? OptionalLong.empty() : OptionalLong.of(pid);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (ExecutionException | TimeoutException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean isAlive() {
        return client.isAlive();
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return client.waitFor(timeout);
    }

    @Override
    public OptionalInt exitCode() {
        return client.exitCode();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return client.onExit();
    }

    /** Sends the remote worker {@code SIGTERM}; if that cannot be done, ends the client, which ends its pipe. */
    @Override
    public void stop() {
        if (!signal("TERM")) {
            client.stop();
        }
    }

    /** Sends the remote worker {@code SIGKILL}, and ends the client. */
    @Override
    public void kill() {
        signal("KILL");
        client.kill();
    }

    private boolean signal(String name) {
        Long pid = remotePid.getNow(null);
        if (pid == null || !client.isAlive()) {
            return false;
        }
        try {
            connection.run("kill -" + name + " " + pid, new byte[0]);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String stderrTail() {
        return client.stderrTail();
    }

    @Override
    public OutputSink pipeOutput() {
        return client.pipeOutput();
    }

    @Override
    public String toString() {
        return "ssh worker " + (remotePid.isDone() ? remotePid.getNow(null) : "?") + " via " + connection
                + (client.isAlive() ? "" : " (exited " + client.exitCode().orElse(-1) + ")");
    }

    /** Passes the session's output on, but its first line, the remote process id. */
    private final class PidLine implements Consumer<String>, AutoCloseable {

        private final Consumer<String> output;
        private final StringBuilder first = new StringBuilder();

        PidLine(Consumer<String> output) {
            this.output = output;
        }

        @Override
        public synchronized void accept(String text) {
            if (remotePid.isDone()) {
                output.accept(text);
                return;
            }
            int end = text.indexOf('\n');
            first.append(end < 0 ? text : text.substring(0, end));
            if (end >= 0) {
                try {
                    remotePid.complete(Long.parseLong(first.toString().strip()));
                } catch (NumberFormatException e) {
                    remotePid.complete(null);
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
}
