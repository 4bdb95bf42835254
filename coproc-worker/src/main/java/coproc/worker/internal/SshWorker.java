package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
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
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        firstLine.thenAccept(line -> remotePid.complete(line == null ? null : Long.valueOf(line)));
        this.client = new JvmWorker(process, stdin, new FirstLine(stdout, firstLine, line -> line.matches("[0-9]+")),
                stderr);
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
}
