package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.WorkerProcess;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ReadyThreads}: a {@code thread} worker's thread, started ahead of time. */
class ReadyThreadsTest {

    /** A bound that turns a worker that never runs into a failed assertion, not a timing expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

    @AfterEach
    void restoreIdleTimeout() {
        ReadyThreads.idleTimeout(Duration.ofSeconds(ReadyThreads.IDLE_SECONDS));
    }

    /** Launches a thread worker whose body completes the future with its thread, and waits for it to end. */
    private static Thread runWorker(CompletableFuture<Object[]> seen) throws Exception {
        CompletableFuture<Thread> ran = new CompletableFuture<>();
        WorkerProcess worker = new ThreadLauncherProvider().create().launch(new LaunchSpec(null, "unused.Main",
                LaunchSpec.Jvm.withOptions(List.of()), Map.of(), new byte[0], text -> { }, text -> { },
                (settings, target) -> {
                    Thread self = Thread.currentThread();
                    seen.complete(new Object[] {INHERITED.get(), self.getContextClassLoader(), self.isDaemon()});
                    ran.complete(self);
                    return 0;
                }));
        assertTrue(worker.waitFor(PATIENCE), "the worker's body ran and returned");
        return ran.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldRunTheNextWorkerOnTheThreadThatWaitedReadyForIt() throws Exception {
        runWorker(new CompletableFuture<>()); // has the next one started

        Thread ready = await().atMost(PATIENCE).until(ReadyThreads::ready, thread -> thread != null);
        assertEquals(ReadyThreads.READY_NAME, ready.getName());
        Thread ran = runWorker(new CompletableFuture<>());

        assertSame(ready, ran, "the second worker ran on the thread started before it was asked for");
        assertTrue(ran.getName().startsWith("coproc-worker-"), ran.getName());
        assertNotEquals(ReadyThreads.READY_NAME, ran.getName());
        await().atMost(PATIENCE).until(() -> !ran.isAlive()); // it ran its one worker and ended
    }

    @ParameterizedTest(name = "a thread that waited ready: {0}")
    @ValueSource(booleans = {true, false})
    void shouldGiveAWorkerTheStartersContextClassLoaderAndNoneOfItsInheritableThreadLocals(boolean ready)
            throws Exception {
        if (ready) {
            runWorker(new CompletableFuture<>());
            await().atMost(PATIENCE).until(() -> ReadyThreads.ready() != null);
        } else {
            ReadyThreads.idleTimeout(Duration.ofMillis(1)); // ready threads end at once
            runWorker(new CompletableFuture<>());
            await().atMost(PATIENCE).until(() -> ReadyThreads.ready() == null);
        }
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[0], before)) {
            self.setContextClassLoader(loader);
            INHERITED.set("the starter's");
            CompletableFuture<Object[]> seen = new CompletableFuture<>();
            runWorker(seen);

            Object[] worker = seen.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertNull(worker[0], "no inheritable thread-local value of the starter's");
            assertSame(loader, worker[1], "the starter's context class loader");
            assertEquals(true, worker[2], "a daemon");
        } finally {
            INHERITED.remove();
            self.setContextClassLoader(before);
        }
    }

    @Test
    void shouldEndAReadyThreadThatNoStartTakes() throws Exception {
        ReadyThreads.idleTimeout(Duration.ofMillis(200));
        runWorker(new CompletableFuture<>()); // takes the ready thread of before, if any, and has one started
        Thread ready = await().atMost(PATIENCE).until(ReadyThreads::ready, thread -> thread != null);

        await().atMost(PATIENCE).until(() -> !ready.isAlive());
        assertNull(ReadyThreads.ready());
        Thread ran = runWorker(new CompletableFuture<>()); // and a start goes on without it
        assertNotEquals(ready, ran);
    }
}
