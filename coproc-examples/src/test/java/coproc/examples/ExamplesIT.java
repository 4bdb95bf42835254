package coproc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.worker.monitor.MonitorCsv;
import coproc.worker.monitor.MonitorNote;
import coproc.worker.monitor.MonitorResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs each example as its users do, {@code java -p target/modules -m coproc.examples/...},
 * in a child JVM, and compares its standard output with the guide's, process ids masked.
 * Runs after {@code package}, which fills {@code target/modules}.
 */
class ExamplesIT {

    private static final Path MODULES = Path.of(System.getProperty("coproc.examples.modules", "target/modules"));
    private static final long HANG_GUARD_SECONDS = 120;
    private static final Pattern PID = Pattern.compile("(process|jvm worker) (\\d+)");

    /** What each example prints, in the order {@link AllExamples} runs them, by header. */
    private static final Map<String, Consumer<List<String>>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("WorkerResource and managing worker processes", lines -> assertLines("""
                WorkerResource[target=coproc.examples.WorkerResourceIntro::customEchoProcess, PRIORITY, launcher=jvm, not started]
                Starting process <pid>
                """, lines));
        // The verbose worker prints "Starting process" while the host prints the EchoResource:
        // those two lines come in either order.
        EXPECTED.put("Context managers", lines -> assertLinesInAnyOrder("""
                class coproc.worker.WorkerResource
                Starting process <pid>
                EchoResource[verbose=true, resource=WorkerResource[target=coproc.examples.WorkerResourceIntro::customEchoProcess, PRIORITY, launcher=jvm, jvm worker <pid>, alive]]
                """, lines, 1));
        EXPECTED.put("Sending and receiving messages", lines -> assertLines("""
                Starting process <pid>
                process <pid> received: hello
                hello
                """, lines));
        EXPECTED.put("Requests", lines -> assertLines("""
                0
                1
                hello
                0
                0
                1
                2
                """, lines));
        // The second line is how many replies arrived in the instant after the request was
        // sent: 0 as in the guide, unless this JVM was paused for longer than a round trip.
        EXPECTED.put("Message availability", lines -> assertLines("""
                0
                %s
                1
                [hello]
                """.formatted(lines.size() > 1 && lines.get(1).equals("1") ? "1" : "0"), lines));
        EXPECTED.put("Custom messages and priorities", lines -> assertLines("""
                [DataMessage[data=1, priority=1.0]]
                [WarningMessage[message=negative number, priority=0.0], DataMessage[data=-1, priority=1.0]]
                """, lines));
        EXPECTED.put("Message channels", lines -> assertLines("""
                messenger.remaining(Channels.DATA)=1
                messenger.remaining(Channels.DATA)=0
                warning: data must be positive
                hello
                messenger.remaining(Channels.DATA)=1
                messenger.remaining(Channels.DATA)=0
                warning: data must be positive
                world
                messenger.remaining(Channels.DATA)=1
                messenger.remaining(Channels.DATA)=0
                hello world!
                """, lines));
        EXPECTED.put("System messages", lines -> assertLines("""
                1
                class java.lang.IllegalArgumentException data must be positive
                false
                """, lines));
        EXPECTED.put("An inspirational example", ExamplesIT::assertPrinterOutput);
        EXPECTED.put("A custom serializer", lines -> assertLines("""
                HELLO
                TRACING
                SERIALIZER
                worker, at its last reply: process <pid> serialized 4 and deserialized 5 values
                host, now: process <pid> serialized 5 and deserialized 5 values
                """, lines));
        EXPECTED.put("Many workers: a pool", lines -> assertLines("""
                squares: [1, 4, 9, 16, 25]
                primes: [true, true, false, true, false, true]
                as they come, sorted: [10, 20, 30]
                sum of 2x for x below a million, lazily: 999999000000
                one item: HELLO
                item 2 failed: java.lang.ArithmeticException: / by zero
                and the pool goes on: [2, 5, 10]
                """, lines));
        EXPECTED.put("Many workers: one-shot maps", lines -> assertLines("""
                round 1: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
                round 2: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
                round 3: [1, 8, 27, 64, 125, 216, 343, 512, 729, 1000]
                worker processes: 2, none of them this one: true
                all ended when the map returned: true
                """, lines));
        EXPECTED.put("Many workers: a group of workers", lines -> assertLines("""
                all alive: true
                [hello, Ann, hello, Bob, hello, Cy, hello, Dee, hello, Eve]
                all ended: true
                any alive: false
                """, lines));
        // The peaks vary from run to run: their figures are masked.
        EXPECTED.put("The Monitor", lines -> assertLines("""
                monitor started
                big worker allocated 200 MiB
                small worker allocated 48 MiB
                big worker peak: <n> MiB resident, <n> MiB heap used
                small worker peak: <n> MiB resident, <n> MiB heap used
                notes: [workers started, allocating, allocated, let go, workers stopped]
                wrote monitor.csv and monitor.png
                """, lines.stream().map(line -> line.replaceAll("\\d+ MiB (resident|heap)", "<n> MiB $1"))
                .toList()));
    }

    @TempDir
    Path temp;

    @Test
    void shouldStartAndTerminateWorkers() throws Exception {
        check("WorkerResourceIntro", "WorkerResource and managing worker processes");
    }

    @Test
    void shouldStopWorkersAtTheEndOfTryWithResources() throws Exception {
        check("ContextManagers", "Context managers");
    }

    @Test
    void shouldEchoPlainMessages() throws Exception {
        check("PlainMessages", "Sending and receiving messages");
    }

    @Test
    void shouldCountRemainingReplies() throws Exception {
        check("Requests", "Requests");
    }

    @Test
    void shouldReportAvailableMessages() throws Exception {
        check("MessageAvailability", "Message availability");
    }

    @Test
    void shouldReceiveWarningsBeforeData() throws Exception {
        check("CustomMessagesAndPriorities", "Custom messages and priorities");
    }

    @Test
    void shouldKeepChannelsApart() throws Exception {
        check("MessageChannels", "Message channels");
    }

    @Test
    void shouldThrowTheWorkersErrorOnTheHost() throws Exception {
        check("SystemMessages", "System messages");
    }

    @Test
    void shouldControlThePrinter() throws Exception {
        check("InspirationalPrinter", "An inspirational example");
    }

    @Test
    void shouldUseTheCustomSerializerInBothJvms() throws Exception {
        Run run = run("CustomSerializer");
        EXPECTED.get("A custom serializer").accept(run.maskedLines());
        List<Long> pids = new ArrayList<>();
        for (String line : run.lines()) {
            Matcher pid = PID.matcher(line);
            if (pid.find()) {
                pids.add(Long.parseLong(pid.group(2)));
            }
        }
        assertEquals(List.of(pids.get(0), run.pid()), pids, "the worker's pid, then the host's");
        assertNotEquals(run.pid(), pids.get(0), "the worker runs in another JVM");
    }

    @Test
    void shouldMapWithAPoolOfWorkers() throws Exception {
        check("PoolMap", "Many workers: a pool");
    }

    @Test
    void shouldMapWithWorkersStartedForEachMap() throws Exception {
        check("OneShotMapping", "Many workers: one-shot maps");
    }

    @Test
    void shouldDriveAGroupOfWorkers() throws Exception {
        check("ResourcePool", "Many workers: a group of workers");
    }

    @Test
    void shouldRunEveryExampleInOrderAsTheModulesMainClass() throws Exception {
        checkEveryExample(run(null));
    }

    /**
     * The examples again, every worker started warm where a spare of its configuration waits
     * (the host keeps one spare per configuration): the output is the same.
     */
    @Test
    void shouldRunEveryExampleAsWellWithWarmStarts() throws Exception {
        checkEveryExample(runWith(List.of("-Dcoproc.worker.spares=1"), null));
    }

    /**
     * The examples again, with {@code ssh} as the default launcher: every worker but the
     * Monitor's (which reads this machine's {@code /proc}) a JVM started through the test sshd
     * of {@code .ci/sshd.sh}, found through {@code COPROC_TEST_SSH_CONFIG}. The output is the
     * same, but for the launcher's name where a resource prints itself. Skipped without that
     * sshd, saying how to start it; under CI, fails.
     */
    @Test
    void shouldRunEveryExampleAsWellOverSsh() throws Exception {
        String config = System.getenv("COPROC_TEST_SSH_CONFIG");
        if (System.getenv("CI") != null) {
            assertTrue(config != null, "CI is set but COPROC_TEST_SSH_CONFIG is not: did .ci/sshd.sh fail?");
        }
        assumeTrue(config != null, "No test sshd: run `eval \"$(bash .ci/sshd.sh start /tmp/coproc-sshd)\"` first");
        Run run = runWith(List.of("-Dcoproc.worker.launcher=ssh", "-Dcoproc.worker.launcher.hosts=coproc-test",
                "-Dcoproc.worker.launcher.configFile=" + config), null);
        assertTrue(run.lines().stream().anyMatch(line -> line.contains("launcher=ssh, ssh worker ")), "over ssh");
        checkEveryExample(new Run(run.lines().stream().map(line -> line.replace("launcher=ssh", "launcher=jvm")
                .replaceAll("ssh worker (\\d+) via ssh connection to coproc-test", "jvm worker $1")).toList(), run.pid()));
    }

    private static void checkEveryExample(Run run) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> section = null;
        for (String line : run.maskedLines()) {
            if (line.startsWith("=== ") && line.endsWith(" ===")) {
                section = new ArrayList<>();
                sections.put(line.substring(4, line.length() - 4), section);
            } else if (section == null) {
                fail("output before the first header: " + line);
            } else {
                section.add(line);
            }
        }
        assertEquals(List.copyOf(EXPECTED.keySet()), List.copyOf(sections.keySet()), "the headers, in order");
        EXPECTED.forEach((header, expected) -> expected.accept(sections.get(header)));
    }

    @Test
    void shouldWriteTheMonitorsLogAndFigure() throws Exception {
        Path directory = temp.resolve("monitor");
        EXPECTED.get("The Monitor").accept(run("MonitorExample", directory.toString()).maskedLines());

        BufferedImage figure = ImageIO.read(directory.resolve("monitor.png").toFile());
        assertEquals(List.of(900, 500), List.of(figure.getWidth(), figure.getHeight()));
        MonitorResult log = MonitorCsv.read(directory.resolve("monitor.csv"));
        assertEquals(List.of("workers started", "allocating", "allocated", "let go", "workers stopped"),
                log.notes().stream().map(MonitorNote::text).toList());
        assertTrue(log.pids().size() >= 3, () -> "the host and its two workers at least: " + log.pids());
    }

    private void check(String example, String header) throws Exception {
        EXPECTED.get(header).accept(run(example).maskedLines());
    }

    /** The printer's timing varies: checks the shape of its output rather than the counts. */
    private static void assertPrinterOutput(List<String> lines) {
        assertEquals("keepPrinting=false", lines.get(0), () -> String.join("\n", lines));
        assertEquals("Already not printing! oh well.", lines.get(lines.size() - 1), () -> String.join("\n", lines));
        assertEquals(5, lines.stream().filter("----"::equals).count(), () -> String.join("\n", lines));
        StringBuilder printed = new StringBuilder();
        for (String line : lines.subList(1, lines.size() - 1)) {
            if (!line.equals("----")) {
                printed.append(line);
            }
        }
        assertTrue(printed.toString().matches("x+y+"), () -> "x's, then y's: " + String.join("\n", lines));
    }

    private static void assertLines(String expected, List<String> actual) {
        assertEquals(expected.lines().toList(), actual);
    }

    /** Compares the first {@code ordered} lines in order, and the rest in any order. */
    private static void assertLinesInAnyOrder(String expected, List<String> actual, int ordered) {
        List<String> wanted = expected.lines().toList();
        assertEquals(wanted.size(), actual.size(), () -> "lines: " + actual);
        assertEquals(wanted.subList(0, ordered), actual.subList(0, ordered));
        assertEquals(wanted.subList(ordered, wanted.size()).stream().sorted().toList(),
                actual.subList(ordered, actual.size()).stream().sorted().toList());
    }

    /** What an example printed, and the pid of the JVM that ran it. */
    private record Run(List<String> lines, long pid) {

        List<String> maskedLines() {
            return lines.stream()
                    .map(line -> PID.matcher(line).replaceAll("$1 <pid>"))
                    .toList();
        }
    }

    /**
     * Runs an example class, or the module's main class if {@code example} is null, in the
     * test's temporary directory (where the monitor example writes its files by default).
     */
    private Run run(String example, String... args) throws IOException, InterruptedException {
        return runWith(List.of(), example, args);
    }

    /** As {@link #run}, with options for the example's JVM. */
    private Run runWith(List<String> jvmOptions, String example, String... args) throws IOException,
            InterruptedException {
        String name = example == null ? "AllExamples" : example;
        Path out = temp.resolve(name + ".out");
        Path err = temp.resolve(name + ".err");
        String module = example == null ? "coproc.examples" : "coproc.examples/coproc.examples." + example;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-p", MODULES.toAbsolutePath().toString(), "-m", module));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(temp.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(name + " did not end within " + HANG_GUARD_SECONDS + " s. Its output:\n" + read(out)
                    + "\nIts standard error:\n" + read(err));
        }
        String stderr = read(err);
        assertEquals(0, process.exitValue(), () -> name + " failed. Its standard error:\n" + stderr);
        assertEquals("", stderr.lines().filter(line -> !line.startsWith("Picked up ")).findAny().orElse(""),
                () -> name + " wrote to standard error:\n" + stderr);
        return new Run(read(out).lines().toList(), process.pid());
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, Charset.defaultCharset());
    }
}
