package coproc.worker.internal.monitor;

import coproc.messenger.internal.Daemons;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes this JVM's heap figures (heap used and committed, total GC time), as its MXBeans give
 * them, into a monitor's report directory at a fixed interval, one file named after the pid.
 *
 * <p>A worker JVM starts one when its environment names a report directory (see
 * {@link HeapReports}); the host starts one for itself while a monitor runs. The thread is a
 * daemon and ends by itself once the directory has gone (the monitor has closed). Each report
 * replaces the previous one by an atomic rename, so that a reader never sees half a file.
 *
 * <p>The file holds one line of three decimal numbers separated by spaces: heap used bytes,
 * heap committed bytes, GC milliseconds. {@link #read} parses it.
 */
public final class HeapReporter implements Runnable {

    /** The logger, made when first used: making one costs a worker JVM milliseconds of its start. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(HeapReporter.class.getName());
    }

    private final Path directory;
    private final Duration interval;
    private volatile boolean stopped;

    private HeapReporter(Path directory, Duration interval) {
        this.directory = directory;
        this.interval = interval;
    }

    /**
     * Starts reporting if the environment names a report directory; otherwise does nothing.
     * This is the worker JVM's hook: called once at its start, it costs a map look-up when no
     * monitor runs.
     *
     * @param environment this JVM's environment variables
     */
    public static void startIfAsked(Map<String, String> environment) {
        String directory = environment.get(HeapReports.DIRECTORY);
        if (directory == null || directory.isEmpty()) {
            return;
        }
        long millis;
        try {
            millis = Long.parseLong(environment.getOrDefault(HeapReports.INTERVAL_MILLIS, "250"));
        } catch (NumberFormatException e) {
            millis = 250;
        }
        start(Path.of(directory), Duration.ofMillis(Math.max(10, millis)));
    }

    /**
     * Starts a daemon thread that writes this JVM's report into the directory every interval.
     *
     * @param directory the report directory
     * @param interval how often to write
     * @return the reporter, to {@link #stop()} it
     */
    static HeapReporter start(Path directory, Duration interval) {
        HeapReporter reporter = new HeapReporter(directory, interval);
        Daemons.start("coproc-monitor-heap", reporter);
        return reporter;
    }

    /** Ends the reporting thread at its next wake-up. */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long pid = ProcessHandle.current().pid();
        Path file = directory.resolve(Long.toString(pid));
        Path temporary = directory.resolve(pid + ".tmp");
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        while (!stopped) {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long gcMillis = 0;
            for (GarbageCollectorMXBean collector : collectors) {
                gcMillis += Math.max(0, collector.getCollectionTime());
            }
            String line = heap.getUsed() + " " + heap.getCommitted() + " " + gcMillis + "\n";
            try {
                Files.writeString(temporary, line, StandardCharsets.US_ASCII);
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (NoSuchFileException gone) {
                return; // the monitor has closed and removed its directory
            } catch (IOException e) {
                Log.LOG.log(System.Logger.Level.DEBUG, "Cannot write the heap report " + file + "; reporting ends", e);
                return;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Reads the latest report of a JVM.
     *
     * @param directory the report directory
     * @param pid the JVM's pid
     * @return the report, or empty if the JVM writes none there (or it cannot be read or parsed)
     */
    public static Optional<Report> read(Path directory, long pid) {
        String text;
        try {
            text = Files.readString(directory.resolve(Long.toString(pid)), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] parts = text.trim().split(" ");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Report(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Long.parseLong(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * One JVM's heap figures.
     *
     * @param usedBytes heap used
     * @param committedBytes heap committed
     * @param gcMillis total time its collectors have taken
     */
    public record Report(long usedBytes, long committedBytes, long gcMillis) {
    }
}
