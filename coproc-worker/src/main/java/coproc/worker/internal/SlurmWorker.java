package coproc.worker.internal;

import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.OutputSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A worker JVM that {@code srun} placed, seen through the local {@code srun}: its pid is the
 * JVM's on its node (the first line of the task's output, after the job and step ids), its
 * output, exit code and end are {@code srun}'s, which passes them on. Stopping it signals its
 * step and killing it cancels the step, with {@code scancel} (its job, by its unique name,
 * while it waits to be placed).
 */
final class SlurmWorker implements WorkerProcess, OutputFramesWorker {

    /** How long {@link #pid()} waits for the task to print it. */
    private static final long PID_WAIT_SECONDS = 10;

    private final JvmWorker srun;
    private final String jobName;
    private final String scancel;
    /** The task's first line, {@code JOB.STEP PID}, or {@code null} if it never came. */
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();

    SlurmWorker(Process srun, CompletableFuture<byte[]> stdin, Consumer<String> stdout, Consumer<String> stderr,
            String jobName, String scancel) {
        this.jobName = jobName;
        this.scancel = scancel;
        this.srun = new JvmWorker(srun, stdin, new FirstLine(stdout, firstLine,
                line -> line.matches("[0-9]+\\.[0-9]+ [0-9]+")), stderr);
        srun.onExit().thenRun(() -> firstLine.complete(null));
    }

    @Override
    public OptionalLong pid() {
        try {
            String line = firstLine.get(PID_WAIT_SECONDS, TimeUnit.SECONDS);
            return line == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(line.split(" ")[1]));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (ExecutionException | TimeoutException e) {
            return OptionalLong.empty();
        }
    }

    /** {@return the job and step, {@code JOB.STEP}, once the task has started, else empty} */
    String step() {
        String line = firstLine.getNow(null);
        return line == null ? "" : line.split(" ")[0];
    }

    @Override
    public boolean isAlive() {
        return srun.isAlive();
    }

    @Override
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return srun.waitFor(timeout);
    }

    @Override
    public OptionalInt exitCode() {
        return srun.exitCode();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return srun.onExit();
    }

    /**
     * Has Slurm send the step {@code SIGTERM} ({@code scancel --signal=TERM}), which ends the
     * worker JVM and so the step; a job not placed yet is cancelled. If {@code scancel} fails,
     * ends {@code srun} instead, which ends the step.
     */
    @Override
    public void stop() {
        if (!cancel(List.of("--signal=TERM"))) {
            srun.stop();
        }
    }

    /** Cancels the step ({@code scancel}: Slurm kills its processes), and ends {@code srun}. */
    @Override
    public void kill() {
        cancel(List.of());
        srun.kill();
    }

    private boolean cancel(List<String> options) {
        if (!srun.isAlive()) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of(scancel, "--quiet"));
        command.addAll(options);
        String step = step();
        if (step.isEmpty()) { // not placed yet: nothing runs, cancel the job
            command = new ArrayList<>(List.of(scancel, "--quiet", "--name=" + jobName,
                    "--user=" + System.getProperty("user.name")));
        } else {
            command.add(step);
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(PID_WAIT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String stderrTail() {
        return srun.stderrTail();
    }

    @Override
    public OutputSink pipeOutput() {
        return srun.pipeOutput();
    }

    @Override
    public String toString() {
        return "slurm worker " + jobName + (step().isEmpty() ? "" : " (step " + step() + ")")
                + (srun.isAlive() ? "" : " (exited " + srun.exitCode().orElse(-1) + ")");
    }
}
