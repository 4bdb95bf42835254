package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.worker.WorkerResource;
import java.time.Duration;

/**
 * A host whose {@code main} starts a worker, talks to it, and returns without closing it: the
 * JVM must still exit normally, and take its worker with it.
 */
public final class ReturningHostMain {

    private ReturningHostMain() {
    }

    static void echo(Messenger messenger, Void unused) {
        System.out.println("worker stdout: hello from " + ProcessHandle.current().pid());
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    public static void main(String[] args) throws Exception {
        WorkerResource<Void> worker = new WorkerResource<Void>(ReturningHostMain::echo).start();
        worker.messenger().sendRequest("hello");
        System.out.println("reply: " + worker.messenger().receiveBlocking(Duration.ofSeconds(30)));
        System.out.println("worker pid: " + worker.pid().orElseThrow());
        // returns without closing the worker
    }
}
