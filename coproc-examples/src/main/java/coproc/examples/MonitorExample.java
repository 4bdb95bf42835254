package coproc.examples;

import coproc.api.Messenger;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import coproc.worker.monitor.Monitor;
import coproc.worker.monitor.MonitorOptions;
import coproc.worker.monitor.MonitorResult;
import coproc.worker.monitor.MonitorSample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * <b>The Monitor.</b> A {@link Monitor} samples the memory and CPU of the host and its
 * workers while the program runs, keeps the notes the host adds, and writes a CSV log and a
 * figure of memory over time. Here the host starts two workers that allocate different
 * amounts over a couple of seconds, then let it go.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.MonitorExample [DIRECTORY]}; it writes {@code monitor.csv}
 * and {@code monitor.png} into the directory (by default the working directory).
 */
public final class MonitorExample {

    private static final int MIB = 1024 * 1024;
    private static final int STEPS = 8;

    /** What an allocating worker holds, so that it stays reachable until it lets it go. */
    private static volatile List<byte[]> held = List.of();

    private MonitorExample() {
    }

    /**
     * The worker: on a request, allocates {@code step} MiB eight times, 150 ms apart, writing
     * every byte so that the memory is resident, and replies with the total; on the next
     * request lets it all go, and replies.
     *
     * @param messenger the worker's end of the pipe
     * @param step how many MiB to allocate at each step
     * @throws InterruptedException if interrupted between two steps
     */
    public static void allocate(Messenger messenger, Integer step) throws InterruptedException {
        messenger.receiveBlocking();
        for (int i = 0; i < STEPS; i++) {
            byte[] array = new byte[step * MIB];
            Arrays.fill(array, (byte) 1);
            List<byte[]> more = new ArrayList<>(held);
            more.add(array);
            held = more;
            Thread.sleep(150);
        }
        messenger.sendReply(STEPS * step);
        messenger.receiveBlocking();
        held = List.of();
        System.gc(); // give the heap back: the figure shows it drop
        messenger.sendReply(0);
        messenger.receiveBlocking(); // until the host closes it
    }

    /**
     * Runs the example.
     *
     * @param args the directory to write {@code monitor.csv} and {@code monitor.png} into;
     *     by default the working directory
     * @throws InterruptedException if interrupted while the workers run
     */
    public static void main(String[] args) throws InterruptedException {
        Path directory = Path.of(args.length > 0 ? args[0] : ".");
        MonitorOptions options = MonitorOptions.defaults()
                .withInterval(Duration.ofMillis(100))
                .withLog(directory.resolve("monitor.csv"))
                .withFigure(directory.resolve("monitor.png"))
                .withFigureSize(900, 500);
        MonitorResult result;
        try (Monitor monitor = Monitor.start(options)) {
            System.out.println("monitor started");
            try (var big = worker(400).start(25); var small = worker(128).start(6)) {
                monitor.updateProcesses();
                monitor.note("workers started");
                big.messenger().sendRequest("allocate");
                small.messenger().sendRequest("allocate");
                monitor.note("allocating");
                System.out.println("big worker allocated " + big.messenger().receiveBlocking() + " MiB");
                System.out.println("small worker allocated " + small.messenger().receiveBlocking() + " MiB");
                monitor.note("allocated", "both workers hold their arrays");
                big.messenger().sendRequest("let go");
                small.messenger().sendRequest("let go");
                big.messenger().receiveBlocking();
                small.messenger().receiveBlocking();
                monitor.note("let go");
                Thread.sleep(400); // a few more samples of the workers at rest
                peak(monitor, "big", big.pid().orElseThrow());
                peak(monitor, "small", small.pid().orElseThrow());
            }
            monitor.note("workers stopped");
            result = monitor.stop();
        }
        System.out.println("notes: " + result.notes().stream().map(note -> note.text()).toList());
        System.out.println("wrote monitor.csv and monitor.png");
    }

    private static WorkerResource<Integer> worker(int maxHeapMiB) {
        return new WorkerResource<>(MonitorExample::allocate, WorkerOptions.defaults()
                .withJvmOptions(List.of("-Xmx" + maxHeapMiB + "m")));
    }

    private static void peak(Monitor monitor, String name, long pid) {
        List<MonitorSample> samples = monitor.stats().samplesOf(pid);
        long resident = samples.stream().mapToLong(MonitorSample::residentBytes).max().orElse(0);
        long heap = samples.stream().mapToLong(MonitorSample::heapUsedBytes).max().orElse(-1);
        System.out.println(name + " worker peak: " + resident / MIB + " MiB resident, " + heap / MIB
                + " MiB heap used");
    }
}
