package coproc.examples.bench;

import coproc.api.Messenger;
import coproc.worker.SshOptions;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ssh} rows of the benchmark: a worker on a host reached through {@code ssh}
 * (this machine's test sshd, say), beside the same work done bare through a multiplexed
 * connection of the benchmark's own to the same host, opened the same way as coproc's:
 * start to first reply, multiplexed and first (a fresh connection), against a bare child JVM
 * started through the connection that writes a byte back over a socket forwarded the same way
 * (plus {@code ssh host true}, without the connection, for the first);
 * and a round trip against raw bytes echoed over a socket forwarded the same way.
 */
final class SshBenchmark {

    private final String host;
    private final Path config;
    private final List<String> ssh;

    private SshBenchmark(String host, Path config, Path control) {
        this.host = host;
        this.config = config;
        this.ssh = List.of("ssh", "-F", config.toString(), "-o", "BatchMode=yes", "-o", "ControlPath=" + control);
    }

    /**
     * The rows, or none (saying why) without a host: {@code COPROC_TEST_SSH_CONFIG} names the
     * ssh configuration of a host called {@code coproc-test}, as {@code .ci/sshd.sh} writes it.
     */
    static List<Row> rows(int rounds) throws Exception {
        String file = System.getenv("COPROC_TEST_SSH_CONFIG");
        if (file == null) {
            System.out.println("ssh rows skipped: no COPROC_TEST_SSH_CONFIG (start one: eval \"$(bash .ci/sshd.sh start"
                    + " /tmp/coproc-sshd)\")");
            return List.of();
        }
        Path control = Files.createTempDirectory("coproc-bench-ssh").resolve("m");
        SshBenchmark bench = new SshBenchmark("coproc-test", Path.of(file), control);
        bench.run(List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=60", "-N", "-f"), "");
        try {
            return bench.measure(rounds);
        } finally {
            bench.run(List.of("-O", "exit"), "");
        }
    }

    private List<Row> measure(int rounds) throws Exception {
        WorkerOptions options = WorkerOptions.defaults().withSsh(SshOptions.hosts(host).withConfigFile(config));
        Stats[] starts = Benchmark.measureInTurn(rounds, () -> StartBenchmark.start(options), this::rawStart,
                () -> firstStart(options), () -> timed("true", "-o", "ControlPath=none"));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("ssh start to first reply, multiplexed vs bare java child connecting back through the connection", "ms",
                starts[0], starts[1]));
        rows.add(new Row("ssh first start to first reply vs ssh host true + bare java child", "ms", starts[2],
                Stats.of(new double[] {starts[3].median() + starts[1].median()})));
        int count = 2_000;
        // One worker and one raw child for all the repetitions, each warmed up first by
        // measureInTurn, as the local round-trip rows do: a fresh JVM would time its compiler.
        String[] forward = new String[1];
        try (var worker = new WorkerResource<Void>(BenchTargets::echo, options).start();
                RawChild child = forwarded(forward, "echo", "8", "false")) {
            Stats[] trips = Benchmark.measureInTurn(rounds, () -> roundTrip(worker.messenger(), count),
                    () -> rawRoundTrip(child.channel(), count, false));
            rows.add(new Row("ssh round trip Integer vs raw bytes over a forwarded socket", "us", trips[0], trips[1]));
        } finally {
            cancel(forward[0]);
        }
        return rows;
    }

    /** A start that has to open coproc's connection first: ends coproc's master connections to the host. */
    private double firstStart(WorkerOptions options) {
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("ControlMaster=yes")
                && p.info().commandLine().orElse("").contains(config.toString())
                && !p.info().commandLine().orElse("").contains("coproc-bench-ssh")).forEach(p -> {
                    p.destroy();
                    p.onExit().join();
                });
        return StartBenchmark.start(options);
    }

    /** Milliseconds from launching a bare child JVM through the connection to the byte it writes over its forwarded socket. */
    private double rawStart() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String[] forward = new String[1];
        try (RawChild child = forwarded(forward, "connect")) {
            RawPeer.read(child.channel(), ByteBuffer.allocate(1), false);
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            cancel(forward[0]);
        }
    }

    /** A bare child JVM through the connection, connected back over a socket forwarded as coproc's are. */
    private RawChild forwarded(String[] forward, String... args) throws IOException {
        Path remote = Path.of("/tmp/coproc-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock");
        List<String> prefix = new ArrayList<>(ssh);
        return RawChild.start(prefix, local -> {
            forward[0] = remote + ":" + local;
            prefix.addAll(List.of("-R", forward[0], host));
            return remote;
        }, args);
    }

    private void cancel(String forward) throws IOException, InterruptedException {
        if (forward != null) {
            run(List.of("-O", "cancel", "-R", forward), "");
        }
    }

    private double timed(String remote, String... options) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        run(List.of(options), remote);
        return (System.nanoTime() - t0) / 1e6;
    }

    private void run(List<String> options, String remote) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ssh);
        command.addAll(options);
        command.add(host);
        if (!remote.isEmpty()) {
            command.add(remote);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IOException("failed: " + command);
        }
    }

    /** Microseconds per round trip of an {@code Integer} to an echoing worker; the slurm rows use it too. */
    static double roundTrip(Messenger messenger, int count) {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            messenger.sendRequest(i);
            messenger.receiveBlocking();
        }
        return (System.nanoTime() - t0) / 1e3 / count;
    }

    /**
     * Microseconds per round trip of 8 raw bytes to an echoing {@link RawPeer}, reading as it
     * does (yield-polling on a non-blocking channel, or blocking); the slurm rows use it too.
     */
    static double rawRoundTrip(SocketChannel channel, int count, boolean yield) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(8);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            buffer.clear();
            RawPeer.write(channel, buffer);
            buffer.clear();
            RawPeer.read(channel, buffer, yield);
        }
        return (System.nanoTime() - t0) / 1e3 / count;
    }
}
