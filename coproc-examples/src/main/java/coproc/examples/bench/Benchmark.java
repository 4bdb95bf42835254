package coproc.examples.bench;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import coproc.api.Messenger;
import coproc.messenger.MessengerKind;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures coproc against raw baselines taken in the same run, on the same machine, with
 * the same kind of child JVM and the same kind of socket:
 * <ol>
 *   <li>round trip: request → reply with a {@code jvm} worker, payload an {@code Integer}
 *       and a 100-character {@code String}, for both messenger kinds; baselines: a bare child
 *       JVM echoing the same number of bytes over a Unix domain socket with blocking reads,
 *       and with {@code Thread.yield()} polling; with host and peer on the same CPU, on
 *       different CPUs, and unpinned, with percentiles of single round trips
 *       ({@link RoundTripBenchmark});</li>
 *   <li>one-way throughput: {@code sendNoRequest} of small records and of 100-byte
 *       {@code byte[]}s, counted by the worker; baselines: the same bytes written one write per
 *       message, and batched;</li>
 *   <li>worker start: {@code start()} to the first reply, {@code jvm} (cold, on each JDK
 *       present), warm (a spare JVM) and {@code thread}; baselines: a bare child JVM of the same
 *       JDK that connects back and writes one byte, and the {@code thread} start
 *       ({@link StartBenchmark});</li>
 *   <li>many workers: 8 and 16 {@code jvm} workers doing round trips at once; baseline as many
 *       bare blocking echo children;</li>
 *   <li>pool: {@link coproc.worker.pool.WorkerPool} maps, in items/s, and the host's CPU while
 *       its workers sleep; baseline: the same maps on 2 host threads ({@link PoolBenchmark});</li>
 *   <li>slurm and TLS: the JDK's TLS against plain TCP, and, with a Slurm, the {@code slurm}
 *       worker's start and round trip against {@code srun true} plus bare children (one of them
 *       connecting back over TLS) and raw loopback TCP ({@link SlurmBenchmark}).</li>
 * </ol>
 * Each figure is the median of several repetitions after a warm-up, with min and max. The
 * ratio is coproc ÷ baseline: below 1 is better for times, above 1 is better for rates.
 *
 * <p>Usage: {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.bench.Benchmark [--quick] [--csv FILE] [--only SECTION]
 * [--placement PLACEMENT]}, where SECTION is {@code round trip}, {@code one-way}, {@code start},
 * {@code workers}, {@code ssh} (when {@code COPROC_TEST_SSH_CONFIG} names a test sshd's config,
 * see {@code .ci/sshd.sh}), {@code pool} or {@code slurm} (its slurm rows need {@code SLURM_CONF}, see
 * {@code .ci/slurm.sh}), and PLACEMENT limits the round trips to
 * {@code same CPU}, {@code different CPUs} or {@code unpinned}.
 */
public final class Benchmark {

    /**
     * The small record of the one-way test.
     *
     * @param id a number
     * @param value another
     */
    public record Sample(int id, long value) {
    }

    private static final String TEXT = "x".repeat(100);

    private final boolean quick;
    private final String only;
    private final String placement;
    private final int repetitions;
    private final List<Row> rows = new ArrayList<>();

    private Benchmark(boolean quick, String only, String placement) {
        this.quick = quick;
        this.only = only;
        this.placement = placement;
        this.repetitions = quick ? 3 : 5;
    }

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args {@code --quick} for a smaller run, {@code --csv FILE} to write the rows,
     *     {@code --only SECTION} to run one section
     * @throws Exception if a measurement fails
     */
    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        boolean quick = arguments.contains("--quick");
        int csvAt = arguments.indexOf("--csv");
        int onlyAt = arguments.indexOf("--only");
        int placementAt = arguments.indexOf("--placement");
        Benchmark benchmark = new Benchmark(quick, onlyAt >= 0 ? arguments.get(onlyAt + 1) : "",
                placementAt >= 0 ? arguments.get(placementAt + 1) : "");
        benchmark.run();
        benchmark.print();
        if (csvAt >= 0) {
            benchmark.writeCsv(Path.of(arguments.get(csvAt + 1)));
        }
    }

    private void run() throws Exception {
        System.out.printf("coproc benchmark (%s): %d repetitions per figure (%d of each start), Java %s,"
                + " %d CPUs%n", quick ? "quick" : "full", repetitions, 3 * repetitions, Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        int roundTrips = quick ? 4_000 : 20_000;
        if (wanted("round trip")) {
            rows.addAll(RoundTripBenchmark.rows(repetitions, roundTrips, List.of(42, TEXT), placement));
        }
        if (wanted("one-way")) {
            int messages = quick ? 200_000 : 1_000_000;
            Stats oneWay = oneWay(messages, new Sample(123_456, 42L)); // first: it has coproc set Kryo up (see README, JDK 24+)
            int sampleBytes = 6 + kryoBytes(new Sample(123_456, 42L));
            rows.add(new Row("one-way sendNoRequest of small records vs raw one write each", "msg/s", oneWay,
                    rawOneWay(messages, sampleBytes, false)));
            rows.add(new Row("one-way sendNoRequest of small records vs raw batched writes", "msg/s", oneWay,
                    rawOneWay(messages, sampleBytes, true)));
            byte[] bytes = new byte[100];
            rows.add(new Row("one-way sendNoRequest of 100-byte byte[] vs raw batched writes", "msg/s",
                    oneWay(messages, bytes), rawOneWay(messages, 6 + kryoBytes(bytes), true)));
        }
        if (wanted("start")) {
            rows.addAll(StartBenchmark.rows(3 * repetitions));
        }
        if (wanted("workers")) {
            int perWorker = quick ? 1_000 : 5_000;
            for (int workers : new int[] {8, 16}) {
                rows.add(new Row(workers + " jvm workers, round trips at once vs " + workers
                        + " raw blocking echo children", "rt/s", manyWorkers(workers, perWorker),
                        rawMany(workers, perWorker)));
            }
        }
        if (wanted("ssh")) {
            rows.addAll(SshBenchmark.rows(3 * repetitions));
        }
        if (wanted("slurm TLS")) {
            rows.addAll(SlurmBenchmark.rows(3 * repetitions));
        }
        if (wanted("pool")) {
            rows.addAll(PoolBenchmark.rows(quick, this::measure));
        }
    }

    /** Whether a section runs: all do unless --only names another. */
    private boolean wanted(String section) {
        return section.contains(only);
    }

    // ---- coproc ----

    private Stats oneWay(int count, Object sample) {
        try (var worker = new WorkerResource<Integer>(BenchTargets::count).start(count)) {
            Messenger messenger = worker.messenger();
            return measure(() -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    messenger.sendNoRequest(sample);
                }
                long received = messenger.receiveBlocking();
                if (received != count) {
                    throw new IllegalStateException("worker counted " + received + " of " + count);
                }
                return count / ((System.nanoTime() - t0) / 1e9);
            });
        }
    }

    private Stats manyWorkers(int workers, int perWorker) throws Exception {
        List<WorkerResource<Void>> started = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                started.add(new WorkerResource<Void>(BenchTargets::echo).start());
            }
            return measureConcurrently(workers, perWorker, i -> {
                Messenger messenger = started.get(i).messenger();
                for (int n = 0; n < perWorker; n++) {
                    messenger.sendRequest(n);
                    messenger.receiveBlocking();
                }
            });
        } finally {
            started.forEach(WorkerResource::close);
        }
    }

    // ---- raw baselines ----

    private Stats rawOneWay(int count, int size, boolean batched) throws Exception {
        int batch = batched ? Math.max(1, 64 * 1024 / size) : 1;
        ByteBuffer buffer = ByteBuffer.allocateDirect(size * batch);
        Stats stats = measure(() -> {
            try (RawChild child = RawChild.start("sink", Long.toString((long) count * size))) {
                SocketChannel channel = child.channel();
                long t0 = System.nanoTime();
                for (int sent = 0; sent < count; sent += batch) {
                    buffer.clear().limit(Math.min(batch, count - sent) * size);
                    RawPeer.write(channel, buffer);
                }
                ByteBuffer done = ByteBuffer.allocate(1);
                RawPeer.read(channel, done, false);
                return count / ((System.nanoTime() - t0) / 1e9);
            }
        });
        return stats;
    }

    private Stats rawMany(int children, int perChild) throws Exception {
        List<RawChild> started = new ArrayList<>();
        try {
            for (int i = 0; i < children; i++) {
                started.add(RawChild.start("echo", "8", "false"));
            }
            return measureConcurrently(children, perChild, i -> {
                SocketChannel channel = started.get(i).channel();
                ByteBuffer buffer = ByteBuffer.allocateDirect(8);
                for (int n = 0; n < perChild; n++) {
                    buffer.clear();
                    RawPeer.write(channel, buffer);
                    buffer.clear();
                    RawPeer.read(channel, buffer, false);
                }
            });
        } finally {
            for (RawChild child : started) {
                child.close();
            }
        }
    }

    // ---- measuring ----

    /** One repetition: returns its figure. */
    interface Repetition {
        double run() throws Exception;
    }

    /** One party of a concurrent repetition. */
    private interface Party {
        void run(int index) throws Exception;
    }

    /** Runs a warm-up repetition, then the measured ones. */
    private Stats measure(Repetition repetition) {
        return measure(repetition, 1);
    }

    /** Runs {@code warmUps} warm-up repetitions, then the measured ones. */
    private Stats measure(Repetition repetition, int warmUps) {
        try {
            for (int i = 0; i < warmUps; i++) {
                repetition.run();
            }
            double[] figures = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                figures[i] = repetition.run();
            }
            return Stats.of(figures);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Measures several figures in turn, one repetition of each per round, so that a change in
     * the machine's load meets all of them alike: what the ratio of two of them needs. Each
     * round starts with the next figure, so that none always follows the same one.
     */
    static Stats[] measureInTurn(int rounds, Repetition... figures) throws Exception {
        double[][] results = new double[figures.length][rounds];
        for (Repetition figure : figures) {
            figure.run(); // warm-up
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < figures.length; k++) {
                int i = (round + k) % figures.length;
                results[i][round] = figures[i].run();
            }
        }
        Stats[] stats = new Stats[figures.length];
        for (int i = 0; i < figures.length; i++) {
            stats[i] = Stats.of(results[i]);
        }
        return stats;
    }

    /**
     * Round trips per second of {@code parties} threads doing {@code each} round trips at once,
     * after three warm-up repetitions: with 16 peer JVMs on 2 CPUs, their compilers take
     * seconds to settle, and the figure is of the steady state.
     */
    private Stats measureConcurrently(int parties, int each, Party party) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parties);
        try {
            return measure(() -> {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < parties; i++) {
                    int index = i;
                    tasks.add(() -> {
                        party.run(index);
                        return null;
                    });
                }
                long t0 = System.nanoTime();
                for (Future<Void> done : pool.invokeAll(tasks)) {
                    done.get();
                }
                return (double) parties * each / ((System.nanoTime() - t0) / 1e9);
            }, 3);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int kryoBytes(Object value) {
        Kryo kryo = new Kryo();
        kryo.register(Sample.class);
        kryo.register(byte[].class);
        Output output = new Output(256);
        kryo.writeClassAndObject(output, value);
        return output.position();
    }

    // ---- output ----

    private void print() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-66s %-6s %-30s %-30s %s%n", "figure", "unit", "coproc median [min-max]",
                "baseline median [min-max]", "ratio");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-66s %-6s %-30s %-30s %.2f%n", row.name(), row.unit(), row.coproc(),
                    row.baseline(), row.ratio());
        }
        if (rows.stream().anyMatch(row -> row.coprocTail() != null)) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-66s %-30s %s%n", "single round trips (us)", "coproc p50 / p99 / p99.9",
                    "baseline p50 / p99 / p99.9");
            for (Row row : rows) {
                if (row.coprocTail() != null) {
                    System.out.printf(Locale.ROOT, "%-66s %-30s %s%n", row.name(), row.coprocTail(),
                            row.baselineTail());
                }
            }
        }
    }

    /** A tail's three CSV fields, empty where the row has none. */
    private static String csv(Tail tail) {
        return tail == null ? ",," : String.format(Locale.ROOT, "%.3f,%.3f,%.3f", tail.p50(), tail.p99(), tail.p999());
    }

    private void writeCsv(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("name,unit,coproc,baseline,ratio,coproc_p50,coproc_p99,coproc_p999,baseline_p50,baseline_p99,"
                    + "baseline_p999");
            for (Row row : rows) {
                out.printf(Locale.ROOT, "\"%s\",%s,%.3f,%.3f,%.4f,%s,%s%n", row.name(), row.unit(),
                        row.coproc().median(), row.baseline().median(), row.ratio(), csv(row.coprocTail()),
                        csv(row.baselineTail()));
            }
        }
        System.out.println("wrote " + file);
    }
}
