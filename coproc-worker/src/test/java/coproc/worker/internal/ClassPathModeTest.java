package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * coproc on the class path: a host JVM started with no module path at all, every jar and
 * class directory (coproc, Kryo and its dependencies, these tests) on {@code -cp}, starts a
 * {@code jvm} worker, which runs on the class path too.
 */
class ClassPathModeTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** This JVM's module path and class path, as one class path. */
    private static String everythingOnTheClassPath() {
        List<String> entries = new ArrayList<>();
        Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(path -> Stream.of(path.split(File.pathSeparator)))
                .filter(entry -> !entry.isBlank() && !entries.contains(entry))
                .forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void shouldEchoThroughAJvmWorkerWithEverythingOnTheClassPath() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", everythingOnTheClassPath(), ClassPathHostMain.class.getName());
        assertFalse(command.stream().anyMatch(arg -> arg.startsWith("--module-path") || arg.startsWith("-p")
                || arg.startsWith("--patch-module")), command::toString);

        try (ChildJvm host = ChildJvm.start(command)) {
            await().atMost(PATIENCE).until(() -> !host.process().isAlive());

            assertEquals(0, host.process().exitValue(), "the host's exit code; its stdout: " + host.stdout());
            await().atMost(PATIENCE).until(() -> host.valueAfter("reply:") != null);
            assertEquals("hello", host.valueAfter("reply:"), host.stdout()::toString);
            assertEquals("true", host.valueAfter("host on the class path:"), host.stdout()::toString);
            // The worker's standard output reaches the host's, and the worker was on the class path as well.
            await().atMost(PATIENCE).until(() -> host.valueAfter("worker stdout: on the class path:") != null);
            assertEquals("true", host.valueAfter("worker stdout: on the class path:"), host.stdout()::toString);
        }
    }
}
