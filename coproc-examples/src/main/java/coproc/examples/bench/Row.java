package coproc.examples.bench;

/**
 * One line of the benchmark's table: a figure of coproc's beside its baseline.
 *
 * @param name what was measured, against what
 * @param unit the unit of both figures
 * @param coproc coproc's figure
 * @param baseline the baseline's figure
 */
record Row(String name, String unit, Stats coproc, Stats baseline) {

    /** coproc ÷ baseline. */
    double ratio() {
        return coproc.median() / baseline.median();
    }
}
