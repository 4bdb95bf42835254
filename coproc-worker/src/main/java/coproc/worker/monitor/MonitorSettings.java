package coproc.worker.monitor;

import java.io.Serializable;
import java.time.Instant;

/**
 * What the monitor's worker is started with: the options as plain values (they travel with
 * JDK serialization), the start time the samples count seconds from, and the heap-report
 * directory.
 *
 * @param pid the monitored process
 * @param descendants whether its descendants are sampled too
 * @param intervalNanos the sampling interval
 * @param log the CSV file, or {@code null}
 * @param figure the PNG file saved as the monitor goes, or {@code null}
 * @param width the figures' width
 * @param height the figures' height
 * @param saveEvery the figure is saved every this many sampling rounds
 * @param start when the monitor started
 * @param heapDirectory where JVMs write their heap reports
 */
record MonitorSettings(long pid, boolean descendants, long intervalNanos, String log, String figure, int width,
        int height, int saveEvery, Instant start, String heapDirectory) implements Serializable {

    /** Seconds since the start, to the millisecond. */
    double seconds(Instant time) {
        return Math.round((time.getEpochSecond() - start.getEpochSecond()) * 1000.0
                + (time.getNano() - start.getNano()) / 1e6) / 1000.0;
    }
}
