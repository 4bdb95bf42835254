package coproc.examples.bench;

import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker start figures of the {@link Benchmark}, all from {@code start()} to the first reply, each
 * beside its baseline measured in turn with it. A cold {@code jvm} start on the host's JDK,
 * and on a JDK 25 when one is installed (found in {@code /usr/lib/jvm}, or named by
 * {@code -Dcoproc.bench.jdk25=PATH}), each beside a bare child JVM of that JDK that connects
 * back and writes one byte; a warm start, which takes a spare JVM, and 20 starts in a row with
 * 2 spares, each beside the same done with the {@code thread} launcher, the in-process floor;
 * and the {@code thread} start beside the bare child, measured on its own in a row of starts.
 * The warm start is measured after the {@code thread} starts, apart from the cold ones.
 *
 * <p>A spare taken by one repetition is replaced in the background: each warm repetition
 * waits for that after it has measured, so that the boot disturbs neither the next figure nor
 * the next warm start.
 */
final class StartBenchmark {

    /** How long a spare JVM may take to boot and prime itself on a loaded machine. */
    private static final long SETTLE_MILLIS = 2_500;
    private static final int IN_A_ROW = 20;
    private static final int THREAD_STARTS = 100;
    /**
     * Unmeasured {@code thread} starts before the measured ones: the host's compiler settles on
     * a start's code after about this many. Measured in three runs of 3,000 starts, the median
     * of each hundred: 4.0-4.7 ms for the first, 1.7-2.1 ms for the fourth, 0.7-1.0 ms from the
     * twentieth on.
     */
    private static final int THREAD_WARM_UP = 2_000;

    private StartBenchmark() {
    }

    /**
     * Measures the start figures.
     *
     * @param rounds how many repetitions of each
     * @return the rows
     * @throws Exception if a start fails
     */
    static List<Row> rows(int rounds) throws Exception {
        List<Row> rows = new ArrayList<>();
        Path hostJava = Path.of(System.getProperty("java.home"), "bin", "java");
        int hostFeature = Runtime.version().feature();
        WorkerOptions cold = WorkerOptions.defaults();
        WorkerOptions warm = WorkerOptions.defaults().withSpares(2, Duration.ofSeconds(60));
        WorkerOptions thread = WorkerOptions.defaults().withLauncher("thread");
        Stats[] starts = Benchmark.measureInTurn(rounds, () -> rawStart(hostJava), () -> start(cold));
        Stats threadStarts = threadStarts(thread, rounds);
        Stats warmStarts = warmStarts(warm, rounds);
        rows.add(new Row("worker start, jvm launcher, JDK " + hostFeature + " vs bare JDK "
                + hostFeature + " java child", "ms", starts[1], starts[0]));
        rows.add(new Row("worker start, warm (a spare JVM) vs thread launcher start", "ms",
                warmStarts, threadStarts));
        rows.add(new Row("worker start, thread launcher (" + THREAD_STARTS + " in a row) vs bare java child", "ms",
                threadStarts, starts[0]));
        Optional<Path> jdk25 = jdk25();
        if (jdk25.isPresent() && hostFeature != 25) {
            Path java = jdk25.get();
            WorkerOptions cold25 = WorkerOptions.defaults().withJava(java);
            Stats[] starts25 = Benchmark.measureInTurn(rounds, () -> rawStart(java), () -> start(cold25));
            rows.add(new Row("worker start, jvm launcher, JDK 25 vs bare JDK 25 java child", "ms",
                    starts25[1], starts25[0]));
        } else if (jdk25.isEmpty()) {
            System.out.println("no JDK 25 found in /usr/lib/jvm (or -Dcoproc.bench.jdk25): its start row is left out");
        }
        Stats[] inARow = Benchmark.measureInTurn(Math.max(3, rounds / 3),
                () -> settled(startsInARow(warm), 2 * SETTLE_MILLIS), () -> startsInARow(thread));
        rows.add(new Row(IN_A_ROW + " worker starts in a row, 2 spares vs " + IN_A_ROW + " thread launcher starts", "ms", inARow[0], inARow[1]));
        return rows;
    }

    /** Milliseconds from {@code start()} to the first reply. */
    static double start(WorkerOptions options) {
        long t0 = System.nanoTime();
        try (var worker = new WorkerResource<Void>(BenchTargets::echo, options).start()) {
            worker.messenger().sendRequest(1);
            worker.messenger().receiveBlocking();
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /**
     * The {@code thread} launcher's start, the in-process floor, measured on its own: between JVM
     * starts it would measure their boots, their compilers and their exits on the same 2 CPUs.
     * Each repetition is the median of {@value #THREAD_STARTS} starts in a row (each to its first
     * reply, and closed), after {@value #THREAD_WARM_UP} unmeasured ones for the host's compiler.
     */
    private static Stats threadStarts(WorkerOptions thread, int rounds) {
        for (int i = 0; i < THREAD_WARM_UP; i++) {
            start(thread);
        }
        double[] figures = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            double[] each = new double[THREAD_STARTS];
            for (int i = 0; i < THREAD_STARTS; i++) {
                each[i] = start(thread);
            }
            figures[round] = Stats.of(each).median();
        }
        return Stats.of(figures);
    }

    /**
     * The warm start, measured after the {@code thread} starts, so that the host's compiler has
     * settled on the code the two share, and apart from the cold starts, whose JVMs would still
     * be exiting on the same 2 CPUs: each repetition is one start that takes a spare, followed
     * by a pause in which its replacement boots. The configuration's first start, which is
     * cold and boots its spares, is not measured.
     */
    private static Stats warmStarts(WorkerOptions warm, int rounds) throws InterruptedException {
        settled(start(warm), SETTLE_MILLIS);
        double[] figures = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            figures[round] = settled(start(warm), SETTLE_MILLIS);
        }
        return Stats.of(figures);
    }

    /** Milliseconds for starts in a row, each to its first reply and closed before the next. */
    private static double startsInARow(WorkerOptions options) {
        long t0 = System.nanoTime();
        for (int i = 0; i < IN_A_ROW; i++) {
            try (var worker = new WorkerResource<Void>(BenchTargets::echo, options).start()) {
                worker.messenger().sendRequest(i);
                worker.messenger().receiveBlocking();
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** A figure, returned after a pause that lets the spares it took be replaced. */
    private static double settled(double figure, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return figure;
    }

    /** Milliseconds from launching a bare child JVM to the byte it writes once connected. */
    static double rawStart(Path java) throws IOException {
        long t0 = System.nanoTime();
        try (RawChild child = RawChild.startWith(java, "connect")) {
            RawPeer.read(child.channel(), ByteBuffer.allocate(1), false);
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** A JDK 25's {@code java}: named by -Dcoproc.bench.jdk25, or the first in /usr/lib/jvm. */
    static Optional<Path> jdk25() throws IOException {
        String named = System.getProperty("coproc.bench.jdk25");
        if (named != null) {
            return Optional.of(Path.of(named, "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> homes = Files.newDirectoryStream(jvms)) {
            for (Path home : homes) {
                Path release = home.resolve("release");
                if (Files.isReadable(release) && Files.readString(release).contains("JAVA_VERSION=\"25")
                        && Files.isExecutable(home.resolve("bin/java"))) {
                    return Optional.of(home.resolve("bin/java"));
                }
            }
        }
        return Optional.empty();
    }
}
