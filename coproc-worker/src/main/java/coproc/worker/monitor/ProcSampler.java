package coproc.worker.monitor;

import coproc.worker.internal.monitor.HeapReporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes one sample of each process in a list, from {@code /proc/<pid>/stat} (CPU time, state)
 * and {@code /proc/<pid>/status} (resident memory), plus the heap report the process writes
 * itself, if any. Remembers each process's previous CPU time, to give its CPU use over the
 * interval, and reports a process that has gone as ended, once.
 *
 * <p>A round reads two or three small files per process and allocates little: well under a
 * millisecond for a handful of processes. Not thread-safe: the monitor's loop alone uses it.
 */
final class ProcSampler {

    private final Path heapDirectory;
    /** The processes sampled last round, by pid: their start time and CPU time then. */
    private final Map<Long, Seen> seen = new LinkedHashMap<>();

    /**
     * Creates a sampler.
     *
     * @param heapDirectory where JVMs write their heap reports, or {@code null} for none
     */
    ProcSampler(Path heapDirectory) {
        this.heapDirectory = heapDirectory;
    }

    /** What the sampler remembers of a process. */
    private record Seen(String command, long startTicks, long cpuTicks, long nanos) {
    }

    /**
     * Samples the processes: those listed, and those sampled last round that are gone (as
     * ended). A process sampled last round that is alive but not listed any more is dropped.
     *
     * @param pids the processes to sample
     * @param time the sample time
     * @param seconds seconds since the monitor started
     * @param nanos {@link System#nanoTime()} now, for the CPU interval
     * @return one sample per process
     */
    List<MonitorSample> sample(List<Long> pids, Instant time, double seconds, long nanos) {
        Set<Long> all = new LinkedHashSet<>(pids);
        all.addAll(seen.keySet());
        List<MonitorSample> samples = new ArrayList<>(all.size());
        for (long pid : all) {
            ProcStat stat = stat(pid);
            Seen before = seen.remove(pid);
            if (stat != null && before != null && stat.startTicks() != before.startTicks()) {
                samples.add(endedSample(time, seconds, pid, before.command())); // the pid was reused
                before = null;
            }
            if (stat == null || stat.ended()) {
                if (before != null) { // once: a zombie still listed next round is not "before" any more
                    samples.add(endedSample(time, seconds, pid, before.command()));
                }
                continue;
            }
            if (!pids.contains(pid)) {
                continue; // alive, but not a descendant any more
            }
            double cpu = Double.NaN;
            if (before != null && nanos > before.nanos()) {
                double busy = (stat.cpuTicks() - before.cpuTicks()) / ProcStat.TICKS_PER_SECOND;
                cpu = Math.round(busy / ((nanos - before.nanos()) / 1e9) * 1000.0) / 10.0;
            }
            long resident = residentBytes(pid);
            if (resident < 0) {
                continue; // gone between the two reads: next round reports it ended
            }
            seen.put(pid, new Seen(stat.command(), stat.startTicks(), stat.cpuTicks(), nanos));
            Optional<HeapReporter.Report> heap = heapDirectory == null ? Optional.empty()
                    : HeapReporter.read(heapDirectory, pid);
            samples.add(new MonitorSample(time, seconds, pid, stat.command(), false, resident, cpu,
                    heap.map(HeapReporter.Report::usedBytes).orElse(-1L),
                    heap.map(HeapReporter.Report::committedBytes).orElse(-1L),
                    heap.map(HeapReporter.Report::gcMillis).orElse(-1L)));
        }
        return samples;
    }

    private static MonitorSample endedSample(Instant time, double seconds, long pid, String command) {
        return new MonitorSample(time, seconds, pid, command, true, 0, Double.NaN, -1, -1, -1);
    }

    /** The process's stat, or {@code null} if it has gone. */
    private static ProcStat stat(long pid) {
        try {
            return ProcStat.parse(Files.readAllBytes(ProcessTree.PROC.resolve(pid + "/stat")));
        } catch (IOException | IllegalArgumentException gone) {
            return null;
        }
    }

    /** VmRSS from {@code /proc/<pid>/status} in bytes; 0 if it has none (a kernel thread); -1 if gone. */
    private static long residentBytes(long pid) {
        String status;
        try {
            status = new String(Files.readAllBytes(ProcessTree.PROC.resolve(pid + "/status")),
                    StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return -1;
        }
        int at = status.indexOf("VmRSS:");
        if (at < 0) {
            return 0;
        }
        int end = status.indexOf('\n', at);
        String value = status.substring(at + "VmRSS:".length(), end < 0 ? status.length() : end).trim();
        int space = value.indexOf(' ');
        return Long.parseLong(space < 0 ? value : value.substring(0, space)) * 1024; // always in kB
    }
}
