package coproc.examples;

import coproc.api.Messenger;
import coproc.worker.pool.WorkerResourcePool;
import java.time.Duration;
import java.util.List;

/**
 * <b>Many workers: a group of workers.</b> A {@link WorkerResourcePool} starts, joins and
 * terminates workers of one target together, sends to all of them, and feeds requests to
 * whichever is free, yielding the replies as they come.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.ResourcePool}.
 */
public final class ResourcePool {

    private ResourcePool() {
    }

    /**
     * A worker's loop: greets each request it gets, and ends on "end".
     *
     * @param messenger the worker's end of the pipe
     * @param greeting the greeting, its start argument
     */
    public static void greeter(Messenger messenger, String greeting) {
        while (true) {
            String name = messenger.receiveBlocking();
            if (name.equals("end")) {
                return;
            }
            messenger.sendReply(greeting + ", " + name);
        }
    }

    /**
     * Greets with 3 worker JVMs.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var group = new WorkerResourcePool<String>(3, ResourcePool::greeter).start("hello")) {
            System.out.println("all alive: " + group.allAlive());
            List<String> replies = group.<String>mapMessages(List.of("Ann", "Bob", "Cy", "Dee", "Eve")).sorted().toList();
            System.out.println(replies);
            group.sendToAll("end");
            System.out.println("all ended: " + group.awaitAllEnded(Duration.ofSeconds(30)));
            System.out.println("any alive: " + group.anyAlive());
        }
    }
}
