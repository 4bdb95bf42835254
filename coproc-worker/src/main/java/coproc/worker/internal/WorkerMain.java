package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import coproc.worker.internal.tls.TlsClient;
import coproc.messenger.internal.PreparedSerializers;
import coproc.worker.internal.monitor.HeapReporter;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of worker JVMs: reads its settings from the environment and its target from
 * standard input, and runs the worker. Not for direct use. (A JVM started to make a class data
 * sharing archive runs it too, and rehearses a worker's start instead; see
 * {@link CdsTraining}.)
 *
 * <p>A new JVM runs everything slowly at first, so the start is spread over three threads:
 * the main one connects to the host (a JVM's first Unix domain socket alone takes
 * milliseconds), one loads the target (see {@link WorkerRuntime#run}; a spare JVM's main
 * thread loads it, once it comes, see {@link SpareWorker}), and one makes the serializers the
 * pipe will need; once the worker has started, that one also starts watching the host, so
 * that the worker ends with it.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    /**
     * Runs a worker and exits with its exit code.
     *
     * @param args ignored; the settings come from the environment and standard input, never
     *     the command line
     */
    public static void main(String[] args) {
        if (System.getenv(Bootstrap.TLS_ADDRESS) != null) {
            Daemons.start("coproc-worker-tls", TlsClient::warmUp); // while the host's bytes are on their way
        }
        Map<String, String> settings;
        try {
            settings = withSecret(System.getenv());
        } catch (IOException e) {
            System.err.println("coproc worker: cannot read its secret from standard input: " + e);
            System.exit(WorkerRuntime.BOOTSTRAP_FAILED);
            return;
        }
        if (settings.get(CdsTraining.TRAINING) != null) {
            HostWatch.watch(HostWatch.parent());
            System.exit(CdsTraining.rehearse());
        }
        HeapReporter.startIfAsked(settings); // a Monitor in the host wants this JVM's heap figures
        CountDownLatch started = new CountDownLatch(1);
        String serializer = settings.get(Bootstrap.SERIALIZER);
        Runnable serializers = serializer == null ? () -> { } : PreparedSerializers.prepare(serializer);
        Daemons.start("coproc-worker-prepare", () -> prepare(serializers, settings, started));
        Callable<byte[]> target = SpareWorker.isSpare(settings) ? SpareWorker.target(settings)
                : () -> standardInput(settings);
        System.exit(WorkerRuntime.run(settings, target, true, started::countDown));
    }

    /**
     * The settings with the one-time secret, read from standard input, where the launcher
     * writes it ahead of the target: it is never in this JVM's environment. A worker that
     * connects over TLS reads the fingerprint of its host's certificate after it.
     */
    private static Map<String, String> withSecret(Map<String, String> environment) throws IOException {
        if (environment.get(Bootstrap.TARGET_LENGTH) == null) {
            return environment; // not started as a worker (a training run, say): no secret
        }
        DataInputStream in = new DataInputStream(System.in);
        byte[] secret = new byte[in.readInt()];
        in.readFully(secret);
        Map<String, String> settings = new HashMap<>(environment);
        settings.put(Bootstrap.SECRET, Base64.getEncoder().encodeToString(secret));
        if (environment.get(Bootstrap.TLS_ADDRESS) != null) {
            byte[] fingerprint = new byte[in.readInt()];
            in.readFully(fingerprint);
            settings.put(Bootstrap.TLS_FINGERPRINT, HexFormat.of().formatHex(fingerprint));
        }
        return settings;
    }

    /** The target's bytes, from standard input, after the secret; their length is in the settings. */
    private static byte[] standardInput(Map<String, String> settings) throws IOException {
        String length = settings.get(Bootstrap.TARGET_LENGTH);
        if (length == null) {
            throw new IOException("No " + Bootstrap.TARGET_LENGTH + " in the environment: was this JVM started by"
                    + " coproc's jvm launcher?");
        }
        int expected = Integer.parseInt(length);
        byte[] bytes = System.in.readNBytes(expected);
        if (bytes.length != expected) {
            throw new IOException("The target's bytes ended early on standard input: " + bytes.length + " of "
                    + expected);
        }
        return bytes;
    }

    /**
     * Makes the pipe's serializers, then, once the worker has started, watches the host.
     * Until then the pipe's end, or the failure to connect, tells the worker that the host
     * has gone (and the pipe's end still does afterwards).
     */
    private static void prepare(Runnable serializers, Map<String, String> settings, CountDownLatch started) {
        serializers.run();
        try {
            started.await();
        } catch (InterruptedException e) {
            // watch at once
        }
        long parent = HostWatch.parent();
        String host = settings.get(Bootstrap.HOST_PID);
        if (host == null || Long.parseLong(host) == parent) {
            HostWatch.watch(parent); // else started elsewhere, or the host has gone already
        }
    }
}
