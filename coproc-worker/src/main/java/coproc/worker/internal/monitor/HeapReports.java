package coproc.worker.internal.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The host's heap-report directory: opened while at least one monitor runs in this JVM, named
 * in the environment of every worker JVM started meanwhile, so that each writes its own heap
 * figures there (see {@link HeapReporter}), and removed when the last monitor closes.
 *
 * <p>The directory is private to the user (mode 0700). The host writes its own report there
 * too. Workers started before the first monitor opened it are not asked, and report nothing.
 * Thread-safe: every method synchronizes on the class.
 */
public final class HeapReports {

    /** Environment variable of a worker JVM: the directory to write its heap report into. */
    static final String DIRECTORY = "COPROC_MONITOR_DIR";
    /** Environment variable of a worker JVM: how often to write it, in milliseconds. */
    static final String INTERVAL_MILLIS = "COPROC_MONITOR_INTERVAL_MS";

    /** The logger, made when first used: making one costs a worker JVM milliseconds of its start. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(HeapReports.class.getName());
    }

    /* Guarded by HeapReports.class: the open directory (null when none), how many monitors
       use it, the smallest interval they asked for, and this JVM's own reporter. */
    private static Path directory;
    private static int users;
    private static Duration interval;
    private static HeapReporter own;
    private static boolean cleanupAtExit;

    private HeapReports() {
    }

    /**
     * The environment a new worker JVM gets so that it reports its heap: empty when no monitor
     * runs. This is the launcher's hook.
     *
     * @return the variables to add to the worker's environment
     */
    public static synchronized Map<String, String> workerEnvironment() {
        if (directory == null) {
            return Map.of();
        }
        return Map.of(DIRECTORY, directory.toString(), INTERVAL_MILLIS, Long.toString(interval.toMillis()));
    }

    /**
     * Opens the directory for one more monitor (making it if it is the first) and starts this
     * JVM's own reporter.
     *
     * @param every how often the monitor samples; reports come at the smallest such interval
     * @return the directory
     * @throws UncheckedIOException if the directory cannot be made
     */
    public static synchronized Path open(Duration every) {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("coproc-monitor-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make the monitor's heap-report directory in "
                        + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
            }
            interval = every;
            own = HeapReporter.start(directory, every);
            if (!cleanupAtExit) {
                cleanupAtExit = true;
                Runtime.getRuntime().addShutdownHook(new Thread(HeapReports::removeAtExit, "coproc-monitor-cleanup"));
            }
        } else if (every.compareTo(interval) < 0) {
            interval = every;
        }
        users++;
        return directory;
    }

    /**
     * Closes the directory for one monitor; the last one removes it, which ends every
     * reporter that writes there.
     */
    public static synchronized void close() {
        if (directory == null || --users > 0) {
            return;
        }
        own.stop();
        remove(directory);
        directory = null;
        own = null;
    }

    private static synchronized void removeAtExit() {
        if (directory != null) {
            remove(directory);
        }
    }

    /** Removes the directory; again if a reporter wrote a file into it meanwhile. */
    private static void remove(Path dir) {
        for (int attempt = 1; Files.exists(dir); attempt++) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                if (attempt == 3) {
                    Log.LOG.log(System.Logger.Level.DEBUG, "Could not remove the heap-report directory " + dir, e);
                    return;
                }
            }
        }
    }
}
