package coproc.examples.bench;

import coproc.queue.StablePriorityQueue;
import java.util.Arrays;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Measures {@link StablePriorityQueue} beside a plain binary heap doing the same work: a
 * {@link PriorityQueue} of {@code (priority, sequence, item)} records, the textbook way to
 * make a heap stable.
 *
 * <p>The workload is the classic <em>hold model</em>: the queue is filled to a fixed depth,
 * then each step takes the first item ({@code get}) and puts a new one whose priority is the
 * taken item's priority plus a random whole increment in {@code [0, p)}. The depth stays
 * constant, every put lands at or after the head, and at most <i>p</i> distinct priorities
 * are present at once; with <i>p</i> = 1 every item has the same priority and the queue is a
 * plain first-in first-out queue. Depth 1 is a messenger's usual case: one message arrives,
 * one is received. Depths 1,000 and 10,000 are a backlog. Each figure is nanoseconds per get+put pair, the median,
 * minimum and maximum of several timed repetitions after warm-up, with the ratio of the
 * medians ({@code StablePriorityQueue / PriorityQueue}; below 1 means faster than the heap).
 *
 * <p>Run with {@code java -m coproc.examples/coproc.examples.bench.QueueBenchmark}, or on
 * the class path with {@code coproc-queue} beside it. It takes no arguments, finishes in well
 * under a minute, and prints one table. It measures; it asserts nothing.
 */
public final class QueueBenchmark {

    private static final int[] PRIORITY_COUNTS = {1, 10, 1_000};
    private static final int[] DEPTHS = {1, 1_000, 10_000};
    private static final int PAIRS = 1_000_000;
    private static final int WARM_UPS = 4;
    private static final int REPETITIONS = 7;
    private static final int RANDOM_MASK = (1 << 16) - 1;

    /** Keeps results alive so that the JIT cannot discard the measured work. */
    private static long sink;

    private QueueBenchmark() {
    }

    /**
     * Runs the benchmark and prints the table on standard output.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "StablePriorityQueue vs java.util.PriorityQueue<(priority,"
                + " seq, item)>, hold model, %,d get+put pairs per repetition,"
                + " %d warm-ups, %d repetitions (ns per pair: median [min-max])%n",
                PAIRS, WARM_UPS, REPETITIONS);
        System.out.printf(Locale.ROOT, "%10s %7s  %-24s %-24s %7s%n",
                "priorities", "depth", "StablePriorityQueue", "PriorityQueue (heap)", "ratio");
        for (int depth : DEPTHS) {
            for (int priorities : PRIORITY_COUNTS) {
                double[] stable = measure(new StableWorkload(priorities, depth));
                double[] heap = measure(new HeapWorkload(priorities, depth));
                System.out.printf(Locale.ROOT, "%10d %7d  %-24s %-24s %7.2f%n",
                        priorities, depth, format(stable), format(heap),
                        median(stable) / median(heap));
            }
        }
        if (sink == 42) {
            System.out.println("(sink " + sink + ")");
        }
    }

    /** Returns ns per pair of each timed repetition, after the warm-ups. */
    private static double[] measure(Workload workload) {
        for (int i = 0; i < WARM_UPS; i++) {
            sink += workload.run(PAIRS);
        }
        double[] nanosPerPair = new double[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            long start = System.nanoTime();
            sink += workload.run(PAIRS);
            nanosPerPair[i] = (System.nanoTime() - start) / (double) PAIRS;
        }
        Arrays.sort(nanosPerPair);
        return nanosPerPair;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static String format(double[] sorted) {
        return String.format(Locale.ROOT, "%6.1f [%.1f-%.1f]",
                median(sorted), sorted[0], sorted[sorted.length - 1]);
    }

    /** Random increments in [0, priorities), precomputed so that no RNG runs in the loop. */
    private static int[] increments(int priorities) {
        SplittableRandom random = new SplittableRandom(20240601L);
        int[] increments = new int[RANDOM_MASK + 1];
        for (int i = 0; i < increments.length; i++) {
            increments[i] = random.nextInt(priorities);
        }
        return increments;
    }

    /** Items to put, preallocated so that the loop allocates nothing of its own. */
    private static Integer[] items() {
        Integer[] items = new Integer[RANDOM_MASK + 1];
        for (int i = 0; i < items.length; i++) {
            items[i] = i;
        }
        return items;
    }

    private interface Workload {
        long run(int pairs);
    }

    private static final class StableWorkload implements Workload {
        private final StablePriorityQueue<Integer> queue = new StablePriorityQueue<>();
        private final int[] increments;
        private final Integer[] items = items();
        private int cursor;

        StableWorkload(int priorities, int depth) {
            increments = increments(priorities);
            for (int i = 0; i < depth; i++) {
                queue.put(items[i & RANDOM_MASK], increments[i & RANDOM_MASK]);
            }
        }

        @Override
        public long run(int pairs) {
            long sum = 0;
            for (int i = 0; i < pairs; i++) {
                int k = cursor++ & RANDOM_MASK;
                double priority = queue.peekPriority();
                sum += queue.get();
                queue.put(items[k], priority + increments[k]);
            }
            return sum;
        }
    }

    private record Entry(double priority, long seq, Integer item) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byPriority = Double.compare(priority, other.priority);
            return byPriority != 0 ? byPriority : Long.compare(seq, other.seq);
        }
    }

    private static final class HeapWorkload implements Workload {
        private final PriorityQueue<Entry> queue = new PriorityQueue<>();
        private final int[] increments;
        private final Integer[] items = items();
        private int cursor;
        private long seq;

        HeapWorkload(int priorities, int depth) {
            increments = increments(priorities);
            for (int i = 0; i < depth; i++) {
                queue.add(new Entry(increments[i & RANDOM_MASK], seq++, items[i & RANDOM_MASK]));
            }
        }

        @Override
        public long run(int pairs) {
            long sum = 0;
            for (int i = 0; i < pairs; i++) {
                int k = cursor++ & RANDOM_MASK;
                Entry head = queue.poll();
                sum += head.item();
                queue.add(new Entry(head.priority() + increments[k], seq++, items[k]));
            }
            return sum;
        }
    }
}
