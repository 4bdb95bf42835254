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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a worker JVM's standard output and standard error go: by default through the host's
 * {@code System.out} and {@code System.err} as they are when each line arrives (so that what
 * captures them sees the worker's lines), or to a file, or to a consumer of lines; and when:
 * what a worker printed before it sent a message is out before the host receives that message.
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

    /** Prints a line on each stream and sends its number, as many times as asked. */
    static void printThenSend(Messenger messenger, Integer rounds) {
        for (int i = 0; i < rounds; i++) {
            System.out.println("out " + i);
            System.err.println("err " + i);
            messenger.sendNoRequest(i);
        }
        messenger.receiveBlocking();
    }

    /** Prints part of a line and flushes it, says so, then closes its messenger and prints once more. */
    static void printAroundTheClose(Messenger messenger, String tag) {
        System.out.print("part " + tag);
        System.out.flush();
        messenger.sendNoRequest("printed");
        messenger.receiveBlocking();
        messenger.close();
        System.out.println(" after the close " + tag);
    }

    @Test
    void shouldWriteWhatTheWorkerPrintedBeforeAMessageBeforeTheHostReceivesIt() throws Exception {
        List<String> outLines = new CopyOnWriteArrayList<>();
        List<String> errLines = new CopyOnWriteArrayList<>();
        // Consumers that take a while over each line, as a logger writing to a slow disk
        // would: the host must not receive a message while the lines before it are still
        // on their way.
        WorkerOptions options = WorkerOptions.defaults().withStdout(WorkerOutput.toLines(line -> outLines.add(digested(line))))
                .withStderr(WorkerOutput.toLines(line -> errLines.add(digested(line))));
        int rounds = 200;
        try (var worker = new WorkerResource<Integer>(WorkerOutputTest::printThenSend, options).start(rounds)) {
            for (int i = 0; i < rounds; i++) {
                assertEquals(i, (Integer) worker.messenger().receiveBlocking(PATIENCE));
                assertEquals("out " + i, i < outLines.size() ? outLines.get(i) : "(not written yet)", "stdout, round " + i);
                assertEquals("err " + i, i < errLines.size() ? errLines.get(i) : "(not written yet)", "stderr, round " + i);
            }
        }
    }

    /** Returns the line after hashing it a few thousand times: a consumer's slow work. */
    private static String digested(String line) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] hash = line.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3000; i++) {
                hash = sha.digest(hash);
            }
            return hash.length == 32 ? line : "";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints a line as it starts, and waits. */
    static void printAtTheStart(Messenger messenger, Integer round) {
        System.out.println("started " + round);
        messenger.receiveBlocking();
    }

    @Test
    void shouldKeepWhatTheWorkerPrintedWhenTheHostClosesItAtOnce() {
        List<String> lines = new CopyOnWriteArrayList<>();
        WorkerOptions options = WorkerOptions.defaults().withStdout(WorkerOutput.toLines(lines::add));
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            new WorkerResource<Integer>(WorkerOutputTest::printAtTheStart, options).start(i).close();
            expected.add("started " + i);
            assertEquals(expected, lines, "after the close of worker " + i);
        }
    }

    @Test
    void shouldWriteAFlushedPartLineAtOnceAndWhatIsPrintedAfterTheClose() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (var worker = new WorkerResource<String>(WorkerOutputTest::printAroundTheClose).start("p")) {
            assertEquals("printed", worker.messenger().receiveBlocking(PATIENCE));
            assertEquals("part p", captured.toString(StandardCharsets.UTF_8));
            worker.messenger().sendNoRequest("go on");
            await().atMost(PATIENCE).until(() -> captured.toString(StandardCharsets.UTF_8)
                    .equals("part p after the close p" + System.lineSeparator()));
        } finally {
            System.setOut(out);
        }
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
