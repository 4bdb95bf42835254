package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.Daemons;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A worker JVM: its process, and a thread copying its stderr to the host's. */
final class JvmWorker implements WorkerProcess {

    private static final int TAIL_LINES = 20;

    private final Process process;
    /** The last lines of the worker's stderr; guarded by itself. */
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread pump;

    /**
     * Starts copying the worker's stderr, and writes the target to its stdin (on a thread of
     * its own: a pipe takes 64 KiB before it blocks, or less), which it then closes.
     */
    JvmWorker(Process process, byte[] target) {
        this.process = process;
        this.pump = Daemons.start("coproc-stderr-" + process.pid(), this::pumpStderr);
        process.onExit().thenAccept(ended -> WorkerEvents.exited(this, ended.exitValue()));
        Daemons.start("coproc-stdin-" + process.pid(), () -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(target);
            } catch (IOException e) {
                // the worker has gone; start() reports how it ended
            }
        });
    }

    private void pumpStderr() {
        Charset charset = Charset.defaultCharset();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), charset))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.err.println(line);
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException ignored) {
            // the worker has gone
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
                pump.join(500); // let it read the last lines
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return String.join(System.lineSeparator(), tail);
        }
    }

    @Override
    public String toString() {
        return "jvm worker " + process.pid() + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")");
    }
}
