package coproc.examples.bench;

import coproc.worker.SlurmOptions;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code slurm} and {@code TLS} rows of the benchmark. With a Slurm ({@code SLURM_CONF}, as
 * {@code .ci/slurm.sh} writes it): a worker's start to first reply beside {@code srun true}
 * plus a bare {@code java} child that connects back (the start section's), beside
 * {@code srun true} plus a bare child that connects back over TLS 1.3 with the JDK's own
 * client (with a class data sharing archive of its own, trained and checked once, as coproc's
 * workers have theirs: about the least a Java worker that connects over TLS pays), and beside a
 * {@code jvm} launcher start, each on a node with no job left, so that none waits for the
 * cleanup of the one before; and, in each {@link Placement} of host and worker, a round trip
 * over the slurm launcher's TLS pipe beside one over the jvm launcher's Unix socket and beside
 * 8 raw bytes echoed by a bare child over loopback TCP (blocking or yield-polling, the better),
 * the workers started once and warmed up with {@value #WARM_UP_TRIPS} round trips each (steady
 * state: a cold JVM's first messages are part of its start). Always: an 8-byte round trip over
 * the JDK's TLS 1.3 socket streams beside plain TCP, both on loopback between two threads of
 * this JVM, in each placement of the two threads: what TLS itself costs; its certificate comes
 * from the JDK's {@code keytool}.
 */
final class SlurmBenchmark {

    /**
     * Round trips that each pipe of a placement makes before it is measured: the compilers of a
     * TLS worker take the longest to settle (unpinned, its round trip went from 50 to 16 µs
     * over its first 120,000, where a Unix socket worker's settled within 20,000).
     */
    private static final int WARM_UP_TRIPS = 150_000;

    private SlurmBenchmark() {
    }

    static List<Row> rows(int rounds) throws Exception {
        List<Row> rows = new ArrayList<>();
        int count = 5_000;
        HostTls host = tlsContext();
        SSLContext tls = host.context();
        try {
            for (Placement placement : Placement.available()) {
                placement.pinHost();
                Stats[] trips = Benchmark.measureInTurn(rounds, () -> loopbackRoundTrip(null, count, placement),
                        () -> loopbackRoundTrip(tls, count, placement));
                rows.add(new Row("TLS 1.3 round trip 8 bytes vs plain TCP, loopback, blocking streams, "
                        + placement.label(), "us", trips[1], trips[0]));
            }
        } finally {
            Placement.UNPINNED.pinHost();
        }
        if (System.getenv("SLURM_CONF") == null) {
            System.out.println("slurm rows skipped: no SLURM_CONF (start one: eval \"$(bash .ci/slurm.sh start"
                    + " /tmp/coproc-slurm)\")");
            return rows;
        }
        WorkerOptions slurm = SlurmOptions.defaults().withAddress("127.0.0.1").applyTo(WorkerOptions.defaults());
        Path childArchive = Files.createTempDirectory("coproc-bench-tls-child");
        Stats[] starts;
        try {
            List<String> tlsChild = tlsChildArchive(host, childArchive);
            starts = Benchmark.measureInTurn(rounds, () -> onIdleNode(() -> StartBenchmark.start(slurm)),
                    () -> onIdleNode(() -> timed("srun", "-N1", "-n1", "true")),
                    () -> StartBenchmark.rawStart(Path.of(System.getProperty("java.home"), "bin", "java")),
                    () -> StartBenchmark.start(WorkerOptions.defaults()),
                    () -> RawChild.tlsConnect(tls, host.fingerprint(), tlsChild));
        } finally {
            try (Stream<Path> files = Files.walk(childArchive)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
        rows.add(new Row("slurm start to first reply vs srun true + bare java child", "ms", starts[0],
                Stats.of(new double[] {starts[1].median() + starts[2].median()})));
        rows.add(new Row("slurm start to first reply vs srun true + bare java child connecting back over TLS", "ms",
                starts[0], Stats.of(new double[] {starts[1].median() + starts[4].median()})));
        rows.add(new Row("slurm start to first reply vs jvm launcher start", "ms", starts[0], starts[3]));
        try {
            for (Placement placement : Placement.available()) {
                placement.pinHost();
                List<String> prefix = placement.peerPrefix();
                try (var overTls = new WorkerResource<Void>(BenchTargets::echo, slurm.withCommandPrefix(prefix)).start();
                        var overUnix = new WorkerResource<Void>(BenchTargets::echo,
                                WorkerOptions.defaults().withCommandPrefix(prefix)).start();
                        RawChild blocking = RawChild.startTcpUnder(prefix, "echo", "8", "false");
                        RawChild yielding = RawChild.startTcpUnder(prefix, "echo", "8", "true")) {
                    yielding.channel().configureBlocking(false);
                    SshBenchmark.roundTrip(overTls.messenger(), WARM_UP_TRIPS);
                    SshBenchmark.roundTrip(overUnix.messenger(), WARM_UP_TRIPS);
                    SshBenchmark.rawRoundTrip(blocking.channel(), WARM_UP_TRIPS, false);
                    SshBenchmark.rawRoundTrip(yielding.channel(), WARM_UP_TRIPS, true);
                    Stats[] pipes = Benchmark.measureInTurn(rounds, () -> SshBenchmark.roundTrip(overTls.messenger(), count),
                            () -> SshBenchmark.roundTrip(overUnix.messenger(), count),
                            () -> SshBenchmark.rawRoundTrip(blocking.channel(), count, false),
                            () -> SshBenchmark.rawRoundTrip(yielding.channel(), count, true));
                    rows.add(new Row("slurm round trip Integer over TLS vs jvm launcher over a Unix socket, "
                            + placement.label(), "us", pipes[0], pipes[1]));
                    Stats tcp = pipes[2].median() <= pipes[3].median() ? pipes[2] : pipes[3];
                    rows.add(new Row("slurm round trip Integer over TLS vs raw 8 bytes over loopback TCP (better of"
                            + " blocking, yield-polling), " + placement.label(), "us", pipes[0], tcp));
                }
            }
        } finally {
            Placement.UNPINNED.pinHost();
        }
        return rows;
    }

    /** A figure measured once no job is left on the cluster: none waits for another's cleanup. */
    private static double onIdleNode(Benchmark.Repetition figure) throws Exception {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Process squeue = new ProcessBuilder("squeue", "-h", "-o", "%i").redirectErrorStream(true).start();
            String jobs = new String(squeue.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (squeue.waitFor() == 0 && jobs.isBlank()) {
                return figure.run();
            }
            if (System.nanoTime() - giveUp > 0) {
                throw new IOException("jobs still on the cluster after 30 s: " + jobs.strip());
            }
            Thread.sleep(50);
        }
    }

    private static double timed(String... command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IOException("failed: " + List.of(command));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * The benchmark's TLS context and the SHA-256 of its certificate.
     *
     * @param context the context, as server and as client
     * @param fingerprint the SHA-256 of its one certificate
     */
    private record HostTls(SSLContext context, byte[] fingerprint) {
    }

    /**
     * Trains a class data sharing archive for the bare TLS child in a directory (one untimed run
     * that writes it at exit: on JDK 25 and later an AOT cache, as coproc's workers there have,
     * else a dynamic archive), checks that a child starts with it where a JVM that cannot use
     * it fails, and returns the JVM options that make the child use it, or fail; none, saying
     * so, if it could not be made or used.
     */
    private static List<String> tlsChildArchive(HostTls host, Path dir) throws InterruptedException {
        boolean aotCache = Runtime.version().feature() >= 25;
        Path archive = dir.resolve(aotCache ? "child.aot" : "child.jsa");
        List<String> use = aotCache ? List.of("-XX:AOTMode=on", "-XX:AOTCache=" + archive)
                : List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive);
        try {
            RawChild.tlsConnect(host.context(), host.fingerprint(), aotCache
                    ? List.of("-XX:AOTCacheOutput=" + archive, "-Xlog:aot*=off,cds*=off")
                    : List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds*=off"));
            RawChild.tlsConnect(host.context(), host.fingerprint(), use);
            return use;
        } catch (IOException e) {
            System.out.println("the bare TLS child runs without a class data sharing archive of its own: " + e);
            return List.of();
        }
    }

    /**
     * A key pair and self-signed certificate from {@code keytool}, as server and trusted
     * certificate both, and the certificate's SHA-256.
     */
    private static HostTls tlsContext() throws Exception {
        Path dir = Files.createTempDirectory("coproc-bench-tls");
        Path store = dir.resolve("bench.p12");
        char[] password = "benchmark".toCharArray();
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            timed(keytool, "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=coproc bench", "-validity", "1", "-storetype", "PKCS12", "-keystore",
                    store.toString(), "-storepass", new String(password));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
            keyManagers.init(keys, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(keys);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
            return new HostTls(context, MessageDigest.getInstance("SHA-256").digest(keys.getCertificate("bench")
                    .getEncoded()));
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Microseconds per 8-byte round trip to an echo thread, over TLS if a context is given; the
     * echo thread placed beside the measuring one as the placement says.
     */
    private static double loopbackRoundTrip(SSLContext tls, int count, Placement placement) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = tls == null ? new ServerSocket(0, 1, loopback)
                : tls.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
            if (server instanceof SSLServerSocket secure) {
                secure.setEnabledProtocols(new String[] {"TLSv1.3"});
            }
            Thread echo = new Thread(() -> {
                try (Socket peer = server.accept()) {
                    peer.setTcpNoDelay(true);
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    byte[] bytes = new byte[8];
                    for (int i = 0; i < count; i++) {
                        in.readNBytes(bytes, 0, 8);
                        out.write(bytes);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "bench-echo");
            echo.start();
            placement.pinPeerThread(echo.getName());
            try (Socket socket = tls == null ? new Socket(loopback, server.getLocalPort())
                    : tls.getSocketFactory().createSocket(loopback, server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                if (socket instanceof SSLSocket secure) {
                    secure.setEnabledProtocols(new String[] {"TLSv1.3"});
                    secure.startHandshake();
                }
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] bytes = new byte[8];
                long t0 = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    out.write(bytes);
                    in.readNBytes(bytes, 0, 8);
                }
                double micros = (System.nanoTime() - t0) / 1e3 / count;
                echo.join();
                return micros;
            }
        }
    }
}
