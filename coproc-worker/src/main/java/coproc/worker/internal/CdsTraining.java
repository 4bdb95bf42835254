package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.Daemons;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * A training run: a JVM with a worker's command line and {@code -XX:ArchiveClassesAtExit}
 * (or, on JDK 25 and later, {@code -XX:AOTCacheOutput}) that rehearses a worker's start (a {@code thread} worker in that JVM) and exits, which
 * writes a class data sharing archive. It runs in the background at low priority (under
 * {@code nice} where there is one); when it ends well this host renames the archive into
 * place, so that a worker only ever sees a complete one (a JDK 17 that maps a truncated
 * archive dies of SIGBUS), and otherwise leaves a failure marker. It never outlives its host:
 * it halts when the host ends, and after {@value #LIMIT_MILLIS} ms in any case, leaving only
 * a part file that is pruned later.
 */
final class CdsTraining {

    /** In the environment of a training run: the JVM rehearses a start instead of running a worker. */
    static final String TRAINING = "COPROC_CDS_TRAINING";

    /** The value of {@link #TRAINING} for a worker that connects over TLS: the rehearsal does too. */
    static final String OVER_TLS = "tls";

    /** How long each step of a rehearsal may take. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** How long a training run may take before it halts itself, leaving no archive. */
    static final long LIMIT_MILLIS = 60_000;

    private CdsTraining() {
    }

    /**
     * Starts a training run for a key; returns at once.
     *
     * @param command the worker's command line
     * @param settings the worker's settings (its serializer and messenger kind are rehearsed)
     * @param archives where the archive goes
     * @param key the archive's key
     * @param kind the kind of archive the worker's JDK takes
     * @throws IOException if the training JVM cannot be started
     */
    static void start(List<String> command, Map<String, String> settings, CdsDirectory archives, String key,
            WorkerJdk.Archive kind) throws IOException {
        Path part = archives.path().resolve(key + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".part");
        ProcessBuilder builder = new ProcessBuilder(command(command, part, kind));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(Bootstrap.NAMES);
        environment.put(TRAINING, settings.get(Bootstrap.TLS_ADDRESS) != null ? OVER_TLS : "1");
        for (String setting : List.of(Bootstrap.SERIALIZER, Bootstrap.MESSENGER)) {
            String value = settings.get(setting);
            if (value != null) {
                environment.put(setting, value);
            }
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        process.getOutputStream().close();
        ClassDataSharing.LOG.log(Level.DEBUG, "Training a class data sharing archive for worker JVMs in "
                + archives.path() + " (pid " + process.pid() + ")");
        process.onExit().thenRun(() -> finish(process, part, archives, archives.archive(key, kind), key));
    }

    /**
     * The training run's command line: the worker's, under {@code nice} where there is one,
     * writing an archive of the kind to the part file. Package access for tests.
     */
    static List<String> command(List<String> command, Path part, WorkerJdk.Archive kind) {
        List<String> training = new ArrayList<>();
        if (new File("/usr/bin/nice").canExecute()) {
            training.addAll(List.of("/usr/bin/nice", "-n", "19"));
        }
        training.add(command.get(0));
        training.add(kind.quiet());
        training.add(kind.make(part));
        training.addAll(command.subList(1, command.size()));
        return training;
    }

    /** Puts a complete archive into place, or marks the key as failed. */
    private static void finish(Process process, Path part, CdsDirectory archives, Path archive, String key) {
        try {
            if (process.exitValue() == 0 && Files.size(part) > 0) {
                Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                ClassDataSharing.LOG.log(Level.DEBUG, "Made class data sharing archive {0} for worker JVMs", archive);
                return;
            }
            ClassDataSharing.LOG.log(Level.DEBUG, "A training run for class data sharing exited with "
                    + process.exitValue() + "; worker JVMs with that command line start without an archive for a day");
        } catch (IOException e) {
            ClassDataSharing.LOG.log(Level.DEBUG, "A training run for class data sharing left no archive: " + e);
        }
        try {
            Files.deleteIfExists(part);
            Files.deleteIfExists(Path.of(part + ".config")); // an AOT training's, if it stopped half way
            Files.write(archives.failureMarker(key), new byte[0]);
        } catch (IOException ignored) {
            // another training may retry it
        }
    }

    /**
     * Runs in a training JVM: rehearses a worker's start, with a {@code thread} worker and
     * the serializer and messenger kind of the worker that asked for the archive — connecting
     * over TLS if that worker does — so that this JVM loads what a worker JVM loads; its exit
     * then writes the archive.
     *
     * @return the exit code: 0 if the rehearsal went through
     */
    static int rehearse() {
        Daemons.start("coproc-cds-limit", CdsTraining::haltLate);
        String training = System.getenv(TRAINING);
        String serializer = System.getenv(Bootstrap.SERIALIZER);
        String kind = System.getenv(Bootstrap.MESSENGER);
        int code = rehearsal(training, serializer, kind);
        // Over TLS it needs keytool in this JDK; without, the archive is at least a Unix socket worker's.
        return code == 0 || !OVER_TLS.equals(training) ? code : rehearsal(null, serializer, kind);
    }

    /**
     * The rehearsal itself, in any JVM: a {@code thread} worker's start and two round trips.
     * Package access for tests.
     *
     * @param training {@link #OVER_TLS} to connect over TLS; anything else, over a Unix socket
     * @param serializer the serializer's name, or {@code null} for Kryo
     * @param kind the messenger kind's name, or {@code null} for the priority messenger
     * @return 0 if the rehearsal went through, 1 if not
     */
    static int rehearsal(String training, String serializer, String kind) {
        Launcher launcher = OVER_TLS.equals(training) ? threadOverTls() : new ThreadLauncherProvider().create();
        WorkerStart start = new WorkerStart(launcher,
                kind == null ? MessengerKind.PRIORITY : MessengerKind.valueOf(kind),
                MessengerOptions.defaults().withSerializer(serializer == null ? "kryo" : serializer),
                LaunchSpec.Jvm.withOptions(List.of()), Duration.ofSeconds(30), Duration.ofSeconds(2), line -> { },
                line -> { });
        WorkerTarget<Void> echo = CdsTraining::echo;
        LiveWorkers.Started worker;
        try {
            worker = start.start(Bootstrap.encode(echo, null));
        } catch (RuntimeException e) {
            return 1;
        }
        Messenger messenger = worker.messenger();
        try {
            messenger.sendRequest(1);
            messenger.receiveBlocking(PATIENCE);
            messenger.sendRequest("rehearsal");
            messenger.receiveBlocking(PATIENCE);
            messenger.sendCloseRequest();
            return worker.process().waitFor(PATIENCE) ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (TimeoutException | RuntimeException e) {
            return 1;
        } finally {
            messenger.close(); // and a worker that did not end ends with its pipe
        }
    }

    /**
     * A launcher of {@code thread} workers that connect back over TLS on the loopback
     * interface, as a {@code slurm} worker does: the rehearsal then runs both ends of a TLS
     * connection.
     */
    private static Launcher threadOverTls() {
        TlsListener[] listening = new TlsListener[1];
        return new ConnectingBackLauncher() {
            @Override
            public WorkerListener listen() throws IOException {
                listening[0] = TlsListener.open(InetAddress.getLoopbackAddress(), 0, 0);
                return listening[0];
            }

            @Override
            public WorkerProcess launch(LaunchSpec spec) throws IOException {
                Map<String, String> settings = new HashMap<>(spec.settings());
                settings.put(Bootstrap.TLS_FINGERPRINT,
                        HexFormat.of().formatHex(listening[0].identity().fingerprint().join()));
                return new ThreadLauncherProvider.InJvm().launch(new LaunchSpec(spec.mainModule(), spec.mainClass(),
                        spec.jvm(), settings, spec.target(), spec.stdout(), spec.stderr(), spec.entry()));
            }
        };
    }

    private static void echo(Messenger messenger, Void unused) {
        while (true) {
            messenger.sendReply(messenger.receiveBlocking());
        }
    }

    private static void haltLate() {
        try {
            Thread.sleep(LIMIT_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        Runtime.getRuntime().halt(1);
    }
}
