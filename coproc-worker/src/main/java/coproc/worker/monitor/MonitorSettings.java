package coproc.worker.monitor;

import java.io.Serializable;

/**
 * What the monitor's worker is started with: the options as plain values (they travel with
 * JDK serialization), and the heap-report directory.
 *
 * @param pid the monitored process
 * @param descendants whether its descendants are sampled too
 * @param intervalNanos the sampling interval
 * @param log the CSV file, or {@code null}
 * @param figure the PNG file saved as the monitor goes, or {@code null}
 * @param width the figures' width
 * @param height the figures' height
 * @param saveEvery the figure is saved every this many sampling rounds
 * @param heapDirectory where JVMs write their heap reports
 */
record MonitorSettings(long pid, boolean descendants, long intervalNanos, String log, String figure, int width,
        int height, int saveEvery, String heapDirectory) implements Serializable {
}
