package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.worker.WorkerResource;
import java.time.Duration;

/** A host run with everything on the class path and no module path; so is its worker. */
public final class ClassPathHostMain {

    private ClassPathHostMain() {
    }

    static void echo(Messenger messenger, Void unused) {
        System.out.println("worker stdout: on the class path: " + !Messenger.class.getModule().isNamed());
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("host on the class path: " + !WorkerResource.class.getModule().isNamed());
        try (var worker = new WorkerResource<Void>(ClassPathHostMain::echo).start()) {
            worker.messenger().sendRequest("hello");
            System.out.println("reply: " + worker.messenger().receiveBlocking(Duration.ofSeconds(30)));
        }
    }
}
