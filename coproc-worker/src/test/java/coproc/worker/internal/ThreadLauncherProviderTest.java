package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ThreadLauncherProvider}: a worker that is a thread of the host, seen as a process. */
class ThreadLauncherProviderTest {

    /**
     * How long a body may take to end once it may: a bound that turns a worker that never ends
     * into a failed assertion rather than a hang, not a timing expectation.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private static LaunchSpec spec(LaunchSpec.WorkerEntry entry) {
        return new LaunchSpec(null, "unused.Main", LaunchSpec.Jvm.withOptions(List.of()), Map.of(), new byte[0],
                text -> { }, text -> { }, entry);
    }

    @Test
    void shouldNameAThreadWorkerByItsThreadAndGiveTheCodeItsBodyReturned() throws Exception {
        ThreadLauncherProvider provider = new ThreadLauncherProvider();
        CompletableFuture<String> thread = new CompletableFuture<>();
        WorkerProcess worker = provider.create().launch(spec((settings, target) -> {
            thread.complete(Thread.currentThread().getName());
            return 7;
        }));

        assertTrue(worker.waitFor(PATIENCE), "the body returned, or it never ran");
        assertEquals(7, worker.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals("thread", provider.name());
        assertEquals("thread worker " + thread.get(), worker.toString());
        assertTrue(thread.get().startsWith("coproc-worker-"), thread::join);
        assertEquals(OptionalInt.of(7), worker.exitCode());
        assertEquals(OptionalLong.empty(), worker.pid());
        assertFalse(worker.isAlive());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldInterruptABodyThatWaitsWhenStoppedOrKilled(boolean kill) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        WorkerProcess worker = new ThreadLauncherProvider().create().launch(spec((settings, target) -> {
            entered.countDown();
            try {
                return never.await(PATIENCE.toSeconds(), TimeUnit.SECONDS) ? 1 : 0; // 0: not interrupted
            } catch (InterruptedException e) {
                return 3;
            }
        }));
        assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));

        assertFalse(worker.waitFor(Duration.ofMillis(1)), "still waiting");
        assertTrue(worker.isAlive());
        assertEquals(OptionalInt.empty(), CompletableFuture.supplyAsync(worker::exitCode)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS), "no exit code yet, and no wait for one");
        if (kill) {
            worker.kill();
        } else {
            worker.stop();
        }

        assertTrue(worker.waitFor(PATIENCE.multipliedBy(2)), "the body's wait ends");
        assertEquals(OptionalInt.of(3), worker.exitCode());
    }
}
