package coproc.examples.bench;

import java.util.Arrays;
import java.util.Locale;

/** Median, min and max of a figure's repetitions. */
record Stats(double median, double min, double max) {
    static Stats of(double[] figures) {
        double[] sorted = figures.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Stats(median, sorted[0], sorted[n - 1]);
    }

    @Override
    public String toString() {
        return format(median) + " [" + format(min) + "-" + format(max) + "]";
    }

    private static String format(double value) {
        return value >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
