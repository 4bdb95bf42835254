package coproc.worker.monitor;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event of one {@link MonitorSample}, committed in the host JVM as the samples arrive
 * from the monitor's worker: {@code coproc.MonitorSample}. Off unless a recording enables it
 * (the {@code default} and {@code profile} settings do).
 */
@Name("coproc.MonitorSample")
@Label("Monitor Sample")
@Category({"coproc", "Monitor"})
@Description("Memory and CPU of one process, sampled by a coproc Monitor")
@StackTrace(false)
final class SampleEvent extends jdk.jfr.Event {

    @Label("Process Id")
    long pid;

    @Label("Command")
    String command;

    @Label("Ended")
    @Description("Whether the process had ended")
    boolean ended;

    @Label("Resident Memory")
    @DataAmount
    long residentBytes;

    @Label("CPU")
    @Description("CPU time over the interval, as a fraction of one core")
    @Percentage
    double cpu;

    @Label("Heap Used")
    @Description("-1 if the process does not report it")
    @DataAmount
    long heapUsedBytes;

    @Label("Heap Committed")
    @Description("-1 if the process does not report it")
    @DataAmount
    long heapCommittedBytes;

    @Label("GC Time")
    @Description("Total time of the JVM's collectors; -1 if the process does not report it")
    @Timespan(Timespan.MILLISECONDS)
    long gcTime;

    /** Commits one sample's event, if a recording wants it. */
    static void commit(MonitorSample sample) {
        SampleEvent event = new SampleEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.pid = sample.pid();
        event.command = sample.command();
        event.ended = sample.ended();
        event.residentBytes = sample.residentBytes();
        event.cpu = sample.cpuPercent() / 100.0;
        event.heapUsedBytes = sample.heapUsedBytes();
        event.heapCommittedBytes = sample.heapCommittedBytes();
        event.gcTime = sample.gcMillis();
        event.commit();
    }
}
