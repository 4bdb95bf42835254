package coproc.examples.bench;

import coproc.worker.pool.PoolFunction;
import coproc.worker.pool.PoolOptions;
import coproc.worker.pool.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The benchmark's {@code pool} section: {@link WorkerPool} with 2 {@code jvm} workers against
 * an {@link ExecutorService} of 2 threads of the host doing the same map (the in-JVM
 * ceiling): items per second with the default chunking and with chunks of 1 item, and the
 * host's CPU time ÷ wall time while the workers map a function that sleeps 10 ms per item.
 *
 * <p>Before it measures, the section maps 5 times with each chunking, beyond the one warm-up
 * repetition of every figure, so that the compilers of the three JVMs have settled.
 *
 * <p>Its own {@code main} checks that the lazy map streams 1,000,000 items through a host with
 * a small heap: {@code java -Xmx64m -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.bench.PoolBenchmark}.
 */
final class PoolBenchmark {

    private static final int WORKERS = 2;
    private static final PoolFunction<Integer, Integer> SQUARE = x -> x * x;
    private static final PoolFunction<Integer, Integer> SLEEP_10_MS = x -> {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    };

    /** Measures a figure: a warm-up, then repetitions. */
    @FunctionalInterface
    interface Measure {
        Stats of(Benchmark.Repetition repetition);
    }

    private PoolBenchmark() {
    }

    /**
     * Measures the section's rows.
     *
     * @param quick whether to measure fewer items
     * @param measure how to repeat a measurement
     * @return the rows
     * @throws Exception if a measurement fails
     */
    static List<Row> rows(boolean quick, Measure measure) throws Exception {
        List<Row> rows = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(WORKERS);
        try (var pool = WorkerPool.start(PoolOptions.defaults().withWorkers(WORKERS))) {
            List<Integer> million = numbers(quick ? 200_000 : 1_000_000);
            int chunk = (million.size() + 4 * WORKERS - 1) / (4 * WORKERS);
            for (int i = 0; i < 5; i++) { // the three JVMs' compilers, beyond the one warm-up repetition
                pool.map(SQUARE, million);
                pool.map(SQUARE, million.subList(0, 20_000), 1);
            }
            rows.add(new Row("pool map, default chunking, " + count(million) + " Integers x -> x * x, 2 jvm workers"
                    + " vs 2 host threads", "items/s",
                    measure.of(() -> rate(million.size(), () -> pool.map(SQUARE, million))),
                    measure.of(() -> rate(million.size(), () -> onThreads(threads, SQUARE, million, chunk)))));
            List<Integer> some = numbers(quick ? 20_000 : 100_000);
            rows.add(new Row("pool map, chunk size 1, " + count(some) + " Integers vs 2 host threads, 1 task each",
                    "items/s", measure.of(() -> rate(some.size(), () -> pool.map(SQUARE, some, 1))),
                    measure.of(() -> rate(some.size(), () -> onThreads(threads, SQUARE, some, 1)))));
            // 1.5 s per repetition: process CPU time is counted in 10 ms ticks
            List<Integer> slow = numbers(quick ? 60 : 300);
            int slowChunk = (slow.size() + 4 * WORKERS - 1) / (4 * WORKERS);
            rows.add(new Row("pool host CPU, 2 workers sleeping 10 ms per item, default chunking vs 2 host threads",
                    "%", measure.of(() -> hostCpu(() -> pool.map(SLEEP_10_MS, slow))),
                    measure.of(() -> hostCpu(() -> onThreads(threads, SLEEP_10_MS, slow, slowChunk)))));
            rows.add(new Row("pool host CPU, 2 workers sleeping 10 ms per item, chunk size 1 vs 2 host threads",
                    "%", measure.of(() -> hostCpu(() -> pool.map(SLEEP_10_MS, slow, 1))),
                    measure.of(() -> hostCpu(() -> onThreads(threads, SLEEP_10_MS, slow, 1)))));
        } finally {
            threads.shutdownNow();
        }
        return rows;
    }

    private static List<Integer> numbers(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toList());
    }

    private static String count(List<?> items) {
        return String.format(Locale.ROOT, "%,d", items.size());
    }

    /** Items per second of a map. */
    private static double rate(int items, Callable<List<Integer>> map) throws Exception {
        long t0 = System.nanoTime();
        List<Integer> results = map.call();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (results.size() != items) {
            throw new IllegalStateException(results.size() + " results for " + items + " items");
        }
        return items / seconds;
    }

    /** The host's CPU time ÷ wall time during a map, in %. */
    private static double hostCpu(Callable<List<Integer>> map) throws Exception {
        Duration cpu0 = cpu();
        long t0 = System.nanoTime();
        map.call();
        long wall = System.nanoTime() - t0;
        return 100.0 * cpu().minus(cpu0).toNanos() / wall;
    }

    private static Duration cpu() {
        return ProcessHandle.current().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("This platform does not report process CPU time"));
    }

    /** The same map on host threads: one task per chunk, results in order. */
    private static List<Integer> onThreads(ExecutorService threads, PoolFunction<Integer, Integer> fn, List<Integer> items,
            int chunk) throws Exception {
        Integer[] results = new Integer[items.size()];
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int start = 0; start < items.size(); start += chunk) {
            int from = start;
            int to = Math.min(items.size(), start + chunk);
            tasks.add(() -> {
                for (int i = from; i < to; i++) {
                    results[i] = fn.apply(items.get(i));
                }
                return null;
            });
        }
        for (Future<Void> done : threads.invokeAll(tasks)) {
            done.get();
        }
        return Arrays.asList(results);
    }

    /**
     * Streams 1,000,000 items through {@link WorkerPool#mapLazy} and prints what it took: run
     * it with {@code -Xmx64m} to see the host's memory stay bounded.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        int count = 1_000_000;
        Iterable<Integer> items = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Integer next() {
                return next++;
            }
        };
        long t0 = System.nanoTime();
        long[] summary = new long[2];
        try (var pool = WorkerPool.start(PoolOptions.defaults().withWorkers(WORKERS));
                var results = pool.<Integer, Long>mapLazy(x -> x.longValue() * x, items)) {
            results.forEach(square -> {
                if (square != summary[0] * summary[0]) {
                    throw new IllegalStateException("result " + summary[0] + " is " + square);
                }
                summary[0]++;
                summary[1] += square;
            });
        }
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "mapLazy: %,d results in order (sum of squares %,d) in %.2f s;"
                + " host max heap %d MiB%n", summary[0], summary[1], (System.nanoTime() - t0) / 1e9,
                runtime.maxMemory() >> 20);
    }
}
