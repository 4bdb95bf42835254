package coproc.examples.bench;

/**
 * One line of the benchmark's table: a figure of coproc's beside its baseline.
 *
 * @param name what was measured, against what
 * @param unit the unit of both figures
 * @param coproc coproc's figure
 * @param baseline the baseline's figure
 * @param coprocTail the percentiles of coproc's single round trips, or {@code null}
 * @param baselineTail the same of the baseline's, or {@code null}
 */
record Row(String name, String unit, Stats coproc, Stats baseline, Tail coprocTail, Tail baselineTail) {

    /** A row without percentiles. */
    Row(String name, String unit, Stats coproc, Stats baseline) {
        this(name, unit, coproc, baseline, null, null);
    }

    /** coproc ÷ baseline. */
    double ratio() {
        return coproc.median() / baseline.median();
    }
}
