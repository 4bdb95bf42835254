package coproc.worker.internal;

import static org.awaitility.Awaitility.await;

import coproc.api.Messenger;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A host that starts a worker with two spares, says the pids of its worker and of its idle
 * spares, and then waits for ever: for a test to kill it.
 */
public final class SpareHostMain {

    private SpareHostMain() {
    }

    static void idle(Messenger messenger, Void unused) throws InterruptedException {
        new CountDownLatch(1).await();
    }

    public static void main(String[] args) throws Exception {
        WorkerResource<Void> worker = new WorkerResource<Void>(SpareHostMain::idle,
                WorkerOptions.defaults().withSpares(2, Duration.ofSeconds(60))).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Spares.idlePids().size() == 2);
        System.out.println("worker pid: " + worker.pid().orElseThrow());
        System.out.println("spares: " + Spares.idlePids().stream().map(String::valueOf)
                .collect(Collectors.joining(",")));
        new CountDownLatch(1).await();
    }
}
