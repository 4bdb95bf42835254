package coproc.worker.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * One process's figures at one sampling instant of a {@link Monitor}.
 *
 * <p>Resident memory and CPU come from {@code /proc}. The heap figures come from the JVM
 * itself, through its MXBeans, and only from JVMs that report them: the host while a monitor
 * runs, and worker JVMs started by coproc while a monitor ran in their host; for any other
 * process they are {@code -1}. A process that has ended is reported once more, with
 * {@code ended} set, zero memory and no figures, and is not sampled after that.
 *
 * @param time when the figures were read
 * @param seconds seconds since the monitor started, to the millisecond
 * @param pid the process id
 * @param command the process's command name as the kernel knows it (at most 15 characters,
 *     {@code java} for a JVM)
 * @param ended whether the process had ended when it was to be sampled
 * @param residentBytes resident memory (RSS), in bytes; 0 when ended
 * @param cpuPercent CPU time over the interval since the previous sample, in percent of one
 *     core (so up to 100 × cores), to a tenth; {@code NaN} for a process's first sample and
 *     when ended
 * @param heapUsedBytes heap used, in bytes, or {@code -1} if the process does not report it
 * @param heapCommittedBytes heap committed, in bytes, or {@code -1} if not reported
 * @param gcMillis total time the JVM's garbage collectors have taken, in milliseconds, or
 *     {@code -1} if not reported
 */
public record MonitorSample(Instant time, double seconds, long pid, String command, boolean ended,
        long residentBytes, double cpuPercent, long heapUsedBytes, long heapCommittedBytes, long gcMillis) {

    /**
     * Checks the components.
     *
     * @param time when the figures were read
     * @param seconds seconds since the monitor started
     * @param pid the process id
     * @param command the command name
     * @param ended whether the process had ended
     * @param residentBytes resident memory in bytes
     * @param cpuPercent CPU use in percent of one core, or {@code NaN}
     * @param heapUsedBytes heap used, or {@code -1}
     * @param heapCommittedBytes heap committed, or {@code -1}
     * @param gcMillis GC time, or {@code -1}
     * @throws NullPointerException if {@code time} or {@code command} is null
     */
    public MonitorSample {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(command, "command");
    }

    /**
     * Returns whether the process reported its heap figures.
     *
     * @return whether {@link #heapUsedBytes()} and the other heap figures are known
     */
    public boolean hasHeap() {
        return heapUsedBytes >= 0;
    }
}
