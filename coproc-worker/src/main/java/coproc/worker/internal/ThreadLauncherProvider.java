package coproc.worker.internal;

import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Provides the {@code thread} launcher: the worker runs on a daemon thread of the host JVM,
 * over a real pipe with the real serializer, so it behaves as a {@code jvm} worker does —
 * for tests and debugging. Its target is handed over in memory. It shares the host's standard
 * streams and cannot be killed by force: stopping interrupts its thread, and a target that
 * ignores interrupts and close requests runs on. A target that calls {@code System.exit} ends
 * the host. Each worker runs on a thread of its own, started ahead of time
 * ({@link ReadyThreads}).
 */
public final class ThreadLauncherProvider implements LauncherProvider {

    private static final AtomicInteger IDS = new AtomicInteger();

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ThreadLauncherProvider() {
    }

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public Launcher create() {
        return new InJvm();
    }

    /**
     * The launcher: a worker on a new thread of this JVM. A start knows it by its class, and
     * connects to it without the threads that guard against a slow worker JVM.
     */
    static final class InJvm implements Launcher {

        @Override
        public WorkerProcess launch(coproc.api.spi.LaunchSpec spec) {
            return new ThreadWorker(() -> spec.entry().run(spec.settings(), spec.target()));
        }
    }

    /**
     * A worker on a thread of this JVM: a thread of its own ({@link ReadyThreads}), not a pooled
     * one (unlike a pipe's reader), so that no thread-local state of the target's outlives its
     * worker.
     */
    private static final class ThreadWorker implements WorkerProcess {

        /** Runs a worker to its end and returns its exit code. */
        @FunctionalInterface
        interface Body {
            int run();
        }

        private final Thread thread;
        private final CompletableFuture<Integer> ended = new CompletableFuture<>();

        ThreadWorker(Body body) {
            thread = ReadyThreads.start("coproc-worker-" + IDS.incrementAndGet(), () -> {
                int code = 1;
                try {
                    code = body.run();
                } finally {
                    ended.complete(code);
                }
            });
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return ended.copy();
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.empty();
        }

        @Override
        public boolean isAlive() {
            return !ended.isDone(); // its body has returned: what the thread still does is not the worker's
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            try {
                ended.get(Math.max(1, timeout.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // not ended in time
            }
            return ended.isDone();
        }

        @Override
        public OptionalInt exitCode() {
            return ended.isDone() ? OptionalInt.of(ended.join()) : OptionalInt.empty();
        }

        @Override
        public void stop() {
            thread.interrupt();
        }

        @Override
        public void kill() {
            thread.interrupt();
        }

        @Override
        public String stderrTail() {
            return "";
        }

        @Override
        public String toString() {
            return "thread worker " + thread.getName();
        }
    }
}
