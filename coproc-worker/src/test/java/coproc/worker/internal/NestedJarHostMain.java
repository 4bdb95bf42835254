package coproc.worker.internal;

import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A host whose classes come from a jar inside a jar: its first start is refused before any
 * JVM is launched; with the class path given, a second start works.
 */
public final class NestedJarHostMain {

    private NestedJarHostMain() {
    }

    public static void main(String[] classPath) throws Exception {
        try (var worker = new WorkerResource<Void>(ClassPathHostMain::echo).start()) {
            System.out.println("started without a class path: " + worker);
        } catch (IllegalStateException e) {
            System.out.println("refused: " + e.getMessage());
        }
        WorkerOptions options = WorkerOptions.defaults()
                .withClassPath(Arrays.stream(classPath).map(Path::of).toList());
        try (var worker = new WorkerResource<Void>(ClassPathHostMain::echo, options).start()) {
            worker.messenger().sendRequest("hello");
            System.out.println("reply: " + worker.messenger().receiveBlocking(Duration.ofSeconds(30)));
        }
    }
}
