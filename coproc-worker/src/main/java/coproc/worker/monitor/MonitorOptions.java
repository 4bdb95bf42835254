package coproc.worker.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Monitor} samples, how often, and where it writes. Immutable; every
 * {@code with...} method returns a copy.
 *
 * <p>The defaults: the host process and its descendants, every 250 ms, no log, no figure
 * file, figures of 1000 × 600 pixels saved every 10 sampling rounds when a figure file is set.
 */
public final class MonitorOptions {

    /** The shortest sampling interval: below it, the monitor would mostly measure itself. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    private static final MonitorOptions DEFAULTS = new MonitorOptions(ProcessHandle.current().pid(), true,
            Duration.ofMillis(250), null, null, 1000, 600, 10);

    private final long pid;
    private final boolean descendants;
    private final Duration interval;
    private final Path log;
    private final Path figure;
    private final int width;
    private final int height;
    private final int saveEvery;

    private MonitorOptions(long pid, boolean descendants, Duration interval, Path log, Path figure, int width,
            int height, int saveEvery) {
        this.pid = pid;
        this.descendants = descendants;
        this.interval = interval;
        this.log = log;
        this.figure = figure;
        this.width = width;
        this.height = height;
        this.saveEvery = saveEvery;
    }

    /**
     * Returns the defaults (see the class documentation).
     *
     * @return the default options
     */
    public static MonitorOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy that monitors another process (checked when the monitor starts).
     *
     * @param pid the process id; by default the host's
     * @return the new options
     * @throws IllegalArgumentException if the pid is not positive
     */
    public MonitorOptions withPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        return new MonitorOptions(pid, descendants, interval, log, figure, width, height, saveEvery);
    }

    /**
     * Returns a copy that does or does not sample the process's descendants (children,
     * grandchildren...) besides the process. Descendants are looked for every second, and at
     * once after {@link Monitor#updateProcesses()}. The monitor's own worker is never sampled.
     *
     * @param descendants whether to sample them; by default {@code true}
     * @return the new options
     */
    public MonitorOptions withDescendants(boolean descendants) {
        return new MonitorOptions(pid, descendants, interval, log, figure, width, height, saveEvery);
    }

    /**
     * Returns a copy with another sampling interval.
     *
     * @param interval at least {@link #MIN_INTERVAL}; by default 250 ms
     * @return the new options
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_INTERVAL}
     */
    public MonitorOptions withInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("interval must be at least " + MIN_INTERVAL + ": " + interval);
        }
        return new MonitorOptions(pid, descendants, interval, log, figure, width, height, saveEvery);
    }

    /**
     * Returns a copy that writes a CSV log (see {@link MonitorCsv}) as the monitor goes: the
     * samples after each round, the notes as they come. The file is replaced; its directory is
     * made if needed.
     *
     * @param csv the file, or {@code null} for none (the default)
     * @return the new options
     */
    public MonitorOptions withLog(Path csv) {
        return new MonitorOptions(pid, descendants, interval, csv == null ? null : csv.toAbsolutePath(), figure,
                width, height, saveEvery);
    }

    /**
     * Returns a copy that saves the figure (a PNG of memory over time) into a file as the
     * monitor goes, every {@link #saveEvery()} rounds, and once more when it closes. Needs
     * JFreeChart; see {@link Monitor}.
     *
     * @param png the file, or {@code null} for none (the default)
     * @return the new options
     */
    public MonitorOptions withFigure(Path png) {
        return new MonitorOptions(pid, descendants, interval, log, png == null ? null : png.toAbsolutePath(),
                width, height, saveEvery);
    }

    /**
     * Returns a copy whose figures have another size.
     *
     * @param width in pixels; by default 1000
     * @param height in pixels; by default 600
     * @return the new options
     * @throws IllegalArgumentException if a size is not between 1 and 10,000
     */
    public MonitorOptions withFigureSize(int width, int height) {
        checkSize(width, height);
        return new MonitorOptions(pid, descendants, interval, log, figure, width, height, saveEvery);
    }

    /**
     * Returns a copy that saves the figure file every so many sampling rounds.
     *
     * @param rounds at least 1; by default 10
     * @return the new options
     * @throws IllegalArgumentException if it is less than 1
     */
    public MonitorOptions withSaveEvery(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("saveEvery must be at least 1: " + rounds);
        }
        return new MonitorOptions(pid, descendants, interval, log, figure, width, height, rounds);
    }

    /**
     * Returns the monitored process's id.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns whether the process's descendants are sampled too.
     *
     * @return whether descendants are sampled
     */
    public boolean descendants() {
        return descendants;
    }

    /**
     * Returns the sampling interval.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * Returns the CSV log file, as an absolute path.
     *
     * @return the file, or empty if there is none
     */
    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }

    /**
     * Returns the figure file saved as the monitor goes, as an absolute path.
     *
     * @return the file, or empty if there is none
     */
    public Optional<Path> figure() {
        return Optional.ofNullable(figure);
    }

    /**
     * Returns the figures' width.
     *
     * @return the width in pixels
     */
    public int figureWidth() {
        return width;
    }

    /**
     * Returns the figures' height.
     *
     * @return the height in pixels
     */
    public int figureHeight() {
        return height;
    }

    /**
     * Returns how many sampling rounds pass between two saves of the figure file.
     *
     * @return the number of rounds
     */
    public int saveEvery() {
        return saveEvery;
    }

    static void checkSize(int width, int height) {
        if (width < 1 || width > 10_000 || height < 1 || height > 10_000) {
            throw new IllegalArgumentException("A figure's width and height must be between 1 and 10000 pixels: "
                    + width + " x " + height);
        }
    }

    @Override
    public String toString() {
        return "MonitorOptions[pid=" + pid + ", descendants=" + descendants + ", interval=" + interval + ", log="
                + log + ", figure=" + figure + ", size=" + width + "x" + height + ", saveEvery=" + saveEvery + "]";
    }
}
