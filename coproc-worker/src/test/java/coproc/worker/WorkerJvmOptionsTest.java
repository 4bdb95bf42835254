package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.Messenger;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM started as the options say: with a {@code java} of their choosing, in a
 * working directory, with variables of their own, under a command prefix.
 */
@Timeout(60)
class WorkerJvmOptionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Answers with where it runs: its working directory, a variable, and its java. */
    static void describe(Messenger messenger, Void unused) {
        messenger.receiveBlocking();
        messenger.sendReply(List.of(Path.of("").toAbsolutePath().toString(), String.valueOf(System.getenv("APP_MODE")),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    @Test
    void shouldStartTheWorkerJvmAsTheOptionsSay(@TempDir Path temp) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Path directory = Files.createDirectory(temp.resolve("work")).toRealPath();
        List<String> prefix = new ArrayList<>();
        if (new File("/usr/bin/env").canExecute()) {
            prefix.addAll(List.of("/usr/bin/env", "PREFIXED=yes")); // a command that runs the rest
        }
        WorkerOptions options = WorkerOptions.defaults().withJava(java).withWorkingDirectory(directory)
                .withEnvironment(Map.of("APP_MODE", "test")).withCommandPrefix(prefix);

        try (var worker = new WorkerResource<Void>(WorkerJvmOptionsTest::describe, options).start()) {
            worker.messenger().sendRequest("where?");
            assertEquals(List.of(directory.toString(), "test", java.toString()),
                    worker.messenger().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldRefuseAVariableOfCoprocsOwn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.defaults().withEnvironment(Map.of("COPROC_SECRET", "x")));
        assertEquals("environment variable COPROC_SECRET is coproc's own; choose another name", e.getMessage());
    }
}
