package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A worker process that ends when the test says, with the exit code it says. */
final class StandInProcess implements WorkerProcess {

    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final long pid;

    StandInProcess(long pid) {
        this.pid = pid;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(pid);
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public boolean waitFor(Duration timeout) {
        return exit.isDone();
    }

    @Override
    public OptionalInt exitCode() {
        return exit.isDone() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void stop() {
    }

    @Override
    public void kill() {
    }

    @Override
    public String stderrTail() {
        return "";
    }
}
