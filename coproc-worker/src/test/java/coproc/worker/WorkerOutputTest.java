package coproc.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a worker JVM's standard output and standard error go: by default through the host's
 * {@code System.out} and {@code System.err} as they are when each line arrives (so that what
 * captures them sees the worker's lines), or to a file, or to a consumer of lines.
 */
@Timeout(60)
class WorkerOutputTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Prints a line on each stream, then says so. */
    static void printBoth(Messenger messenger, String tag) {
        System.out.println("out " + tag);
        System.err.println("err " + tag);
        System.out.flush();
        System.err.flush();
        messenger.sendNoRequest("printed");
        messenger.receiveBlocking();
    }

    @Test
    void shouldSendTheWorkersLinesThroughTheHostsSystemOutAndSystemErr() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try (var worker = new WorkerResource<String>(WorkerOutputTest::printBoth).start("captured")) {
            assertEquals("printed", worker.messenger().receiveBlocking(PATIENCE));
            await().atMost(PATIENCE).until(() -> capturedOut.toString(StandardCharsets.UTF_8).contains("out captured")
                    && capturedErr.toString(StandardCharsets.UTF_8).contains("err captured"));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertTrue(!capturedOut.toString(StandardCharsets.UTF_8).contains("err captured"), "each stream to its own");
    }

    @Test
    void shouldSendTheWorkersLinesToAFileAndToAConsumer(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("worker-out.txt");
        List<String> errLines = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.defaults().withStdout(WorkerOutput.toFile(file))
                .withStderr(WorkerOutput.toLines(errLines::add));
        try (var worker = new WorkerResource<String>(WorkerOutputTest::printBoth, options).start("redirected")) {
            assertEquals("printed", worker.messenger().receiveBlocking(PATIENCE));
            await().atMost(PATIENCE).until(() -> errLines.contains("err redirected"));
            await().atMost(PATIENCE).until(() -> Files.exists(file)
                    && Files.readAllLines(file, StandardCharsets.UTF_8).contains("out redirected"));
        }
        assertTrue(!errLines.contains("out redirected"));
    }
}
