package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerOutput;
import coproc.worker.WorkerResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs on JDK 25, started by a JDK 17 host: a user's own {@code -XX:AOTCache} starts (JDK
 * 25 refuses an AOT cache beside an AppCDS archive, so coproc adds none), and a cache it cannot
 * use prints nothing on the worker's output. (That coproc trains and hands out AOT caches of its
 * own is in {@link ClassDataSharingTest}: this module's tests run from directories of classes,
 * which no archive takes.)
 */
class AotCacheTest {

    /** A hang guard, not a timing expectation: a training run on a loaded machine is slow. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    private final List<String> output = new CopyOnWriteArrayList<>();

    static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    private WorkerOptions onJdk25() {
        return WorkerOptions.defaults().withJava(Jdk25.javaOrSkip()).withClassDataSharingDirectory(temp.resolve("cds"))
                .withStdout(WorkerOutput.toLines(output::add)).withStderr(WorkerOutput.toLines(output::add));
    }

    private static void roundTrip(WorkerResource<Void> worker) throws Exception {
        worker.messenger().sendRequest("x");
        assertEquals("x", worker.messenger().receiveBlocking(PATIENCE));
    }

    private static List<String> arguments(WorkerResource<Void> worker) {
        return List.of(ProcessHandle.of(worker.pid().orElseThrow()).orElseThrow().info().arguments().orElseThrow());
    }

    private Stream<Path> archives() throws IOException {
        Path directory = temp.resolve("cds");
        return Files.isDirectory(directory) ? Files.list(directory) : Stream.empty();
    }

    @Test
    void shouldStartWithTheUsersOwnAotCacheAndSayNothingOfItsState() throws Exception {
        Path stale = temp.resolve("mine.aot");
        Files.write(stale, new byte[4096]); // not a cache this JDK can map: it would warn
        WorkerOptions options = onJdk25().withJvmOptions(List.of("-XX:AOTCache=" + stale));

        try (var worker = new WorkerResource<Void>(AotCacheTest::echo, options).start()) {
            roundTrip(worker);
            List<String> arguments = arguments(worker);
            assertTrue(arguments.contains("-XX:AOTCache=" + stale), arguments::toString);
            assertTrue(arguments.stream().noneMatch(a -> a.startsWith("-XX:SharedArchiveFile")), arguments::toString);
            worker.join();
        }
        assertEquals(List.of(), output, "nothing on the worker's output");
        try (Stream<Path> archives = archives()) {
            assertEquals(List.of(), archives.filter(f -> !f.getFileName().toString().startsWith("owner-")).toList(),
                    "no training run for a worker with its own AOT cache");
        }
    }
}
