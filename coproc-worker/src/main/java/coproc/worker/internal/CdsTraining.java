package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.Daemons;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

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
        environment.put(TRAINING, "1");
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
     * the serializer and messenger kind of the worker that asked for the archive, so that
     * this JVM loads what a worker JVM loads; its exit then writes the archive.
     *
     * @return the exit code: 0 if the rehearsal went through
     */
    static int rehearse() {
        Daemons.start("coproc-cds-limit", CdsTraining::haltLate);
        String serializer = System.getenv(Bootstrap.SERIALIZER);
        String kind = System.getenv(Bootstrap.MESSENGER);
        WorkerStart start = new WorkerStart(new ThreadLauncherProvider().create(),
                kind == null ? MessengerKind.PRIORITY : MessengerKind.valueOf(kind),
                MessengerOptions.defaults().withSerializer(serializer == null ? "kryo" : serializer),
                LaunchSpec.Jvm.withOptions(List.of()), Duration.ofSeconds(30), Duration.ofSeconds(2), line -> { },
                line -> { });
        WorkerTarget<Void> echo = CdsTraining::echo;
        try {
            LiveWorkers.Started worker = start.start(Bootstrap.encode(echo, null));
            Messenger messenger = worker.messenger();
            messenger.sendRequest(1);
            messenger.receiveBlocking();
            messenger.sendRequest("rehearsal");
            messenger.receiveBlocking();
            messenger.sendCloseRequest();
            boolean ended = worker.process().waitFor(Duration.ofSeconds(10));
            messenger.close();
            return ended ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            return 1;
        }
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
