package coproc.examples.bench;

import coproc.api.Messenger;
import coproc.messenger.MessengerKind;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The round-trip section: request → reply with a {@code jvm} worker, for both messenger kinds
 * and two payloads, beside raw ping-pong of the same number of bytes over a Unix domain socket
 * with a bare child JVM, blocking and yield-polling; in each {@link Placement}, each figure
 * measured in turn with its baselines, with the percentiles of single round trips.
 */
final class RoundTripBenchmark {

    /** One round trip. */
    private interface Trip {
        void run() throws Exception;
    }

    private RoundTripBenchmark() {
    }

    /**
     * Measures every payload in every placement this machine can force.
     *
     * @param only a placement's label to measure only it, or empty for all
     */
    static List<Row> rows(int rounds, int count, List<Object> payloads, String only) throws Exception {
        List<Row> rows = new ArrayList<>();
        if (Placement.limitation() != null) {
            System.out.println("round trip: " + Placement.limitation());
        }
        try {
            for (Placement placement : Placement.available()) {
                if (!placement.label().contains(only)) {
                    continue;
                }
                placement.pinHost();
                for (Object payload : payloads) {
                    rows.addAll(rows(placement, payload, rounds, count));
                }
            }
        } finally {
            Placement.UNPINNED.pinHost();
        }
        return rows;
    }

    private static List<Row> rows(Placement placement, Object payload, int rounds, int count) throws Exception {
        int frameBytes = payload instanceof Integer ? 8 : 107; // length prefix + kind + flags + Kryo bytes
        String what = payload instanceof Integer ? "Integer" : "100-char String";
        List<String> prefix = placement.peerPrefix();
        WorkerOptions options = WorkerOptions.defaults().withCommandPrefix(prefix);
        try (RawChild blocking = RawChild.startUnder(prefix, "echo", Integer.toString(frameBytes), "false");
                RawChild yielding = RawChild.startUnder(prefix, "echo", Integer.toString(frameBytes), "true");
                var priority = new WorkerResource<Void>(BenchTargets::echo,
                        options.withMessengerKind(MessengerKind.PRIORITY)).start();
                var multi = new WorkerResource<Void>(BenchTargets::echo,
                        options.withMessengerKind(MessengerKind.MULTI)).start()) {
            yielding.channel().configureBlocking(false);
            Tail.Recorder[] tails = {new Tail.Recorder(), new Tail.Recorder(), new Tail.Recorder(),
                new Tail.Recorder()};
            Stats[] stats = Benchmark.measureInTurn(rounds,
                    () -> loop(count, tails[0], raw(blocking.channel(), frameBytes, false)),
                    () -> loop(count, tails[1], raw(yielding.channel(), frameBytes, true)),
                    () -> loop(count, tails[2], coproc(priority.messenger(), payload)),
                    () -> loop(count, tails[3], coproc(multi.messenger(), payload)));
            List<Row> rows = new ArrayList<>();
            for (int k = 2; k < 4; k++) {
                String name = "round trip " + what + ", " + (k == 2 ? "Priority" : "Multi") + "Messenger, "
                        + placement.label();
                rows.add(new Row(name + " vs raw blocking", "us", stats[k], stats[0], tails[k].tail(),
                        tails[0].tail()));
                rows.add(new Row(name + " vs raw yield-polling", "us", stats[k], stats[1], tails[k].tail(),
                        tails[1].tail()));
            }
            return rows;
        }
    }

    private static Trip coproc(Messenger messenger, Object payload) {
        return () -> {
            messenger.sendRequest(payload);
            messenger.receiveBlocking();
        };
    }

    private static Trip raw(SocketChannel channel, int size, boolean yield) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        return () -> {
            buffer.clear();
            RawPeer.write(channel, buffer);
            buffer.clear();
            RawPeer.read(channel, buffer, yield);
        };
    }

    /** Runs {@code count} round trips, recording each; returns the mean in microseconds. */
    private static double loop(int count, Tail.Recorder tail, Trip trip) throws Exception {
        long[] times = tail.begin(count);
        long start = System.nanoTime();
        long last = start;
        for (int i = 0; i < count; i++) {
            trip.run();
            long now = System.nanoTime();
            times[i] = now - last;
            last = now;
        }
        return (last - start) / 1e3 / count;
    }
}
