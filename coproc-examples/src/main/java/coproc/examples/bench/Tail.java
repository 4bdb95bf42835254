package coproc.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Percentiles of single round trips, in microseconds.
 *
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 */
record Tail(double p50, double p99, double p999) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", p50, p99, p999);
    }

    /** Collects the single round-trip times of a figure's repetitions; the first, the warm-up, is left out. */
    static final class Recorder {

        private final List<long[]> runs = new ArrayList<>();

        /** Starts a repetition of {@code count} round trips; returns where their times go, in ns. */
        long[] begin(int count) {
            long[] times = new long[count];
            runs.add(times);
            return times;
        }

        /** The percentiles over every repetition but the first. */
        Tail tail() {
            long[] all = runs.stream().skip(1).flatMapToLong(Arrays::stream).sorted().toArray();
            if (all.length == 0) {
                throw new IllegalStateException("no measured repetition");
            }
            return new Tail(at(all, 0.5), at(all, 0.99), at(all, 0.999));
        }

        private static double at(long[] sorted, double quantile) {
            int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e3;
        }
    }
}
