package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.Daemons;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Primes a spare JVM: runs once through what a worker's first task typically uses, so that
 * the first reply after the spare is taken comes in milliseconds rather than tens of them.
 * It starts a {@code thread} worker inside the spare, over a real pipe with the spare's
 * serializer and messenger kind, whose target — a serializable lambda of coproc's own that
 * captures a value — is sent through the same encode, deserialize and run path as a user's,
 * and exchanges requests of common types with it, each reply made by string concatenation:
 * once before the spare waits for its target, then again and again on a thread of its own
 * while it waits, until the spare is taken, each time decoding the target again, and a method
 * reference, the other usual form of a target. It also loads the classes a worker that owns
 * its JVM needs once it runs, and loads and links (verifies) the classes that recent targets
 * need ({@link Bootstrap#SPARE_CLASSES}) without initializing them. Only coproc's code runs;
 * the spare's own pipe is not touched. Priming only ever makes a start quicker: whatever goes
 * wrong is ignored.
 */
final class SparePriming {

    /** A hang guard: priming that takes longer is abandoned. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How many times the requests go round at most: enough for the compiler to take the pipe's
     * and the serializer's paths, which the first real exchange then runs compiled (measured:
     * start to first reply 10.1-10.7 ms with one round, 7.7-8.9 ms with 300; about 0.2 s of a
     * CPU per spare). All but the first round run while the spare waits, so a start that takes
     * it early does not wait for them.
     */
    private static final int ROUNDS = 300;
    /** Set once the spare is taken. */
    private static volatile boolean stopped;

    private SparePriming() {
    }

    /**
     * Primes this JVM for a worker with these settings: goes once through everything, which
     * blocks for at most about {@link #PATIENCE}, then goes on repeating the requests on a
     * thread of its own until {@link #stop()}. Throws nothing.
     *
     * @param settings the spare's settings: its serializer, messenger kind and frame limit
     */
    static void prime(Map<String, String> settings) {
        try {
            MessengerOptions options = MessengerOptions.defaults()
                    .withSerializer(settings.getOrDefault(Bootstrap.SERIALIZER, "kryo"))
                    .withMaxFrameLength(Integer.parseInt(settings.getOrDefault(Bootstrap.MAX_FRAME,
                            Integer.toString(MessengerOptions.defaults().maxFrameLength()))));
            MessengerKind kind = MessengerKind.valueOf(settings.getOrDefault(Bootstrap.MESSENGER, "PRIORITY"));
            WorkerStart start = new WorkerStart(new ThreadLauncherProvider().create(), kind, options,
                    LaunchSpec.Jvm.withOptions(List.of()), PATIENCE, Duration.ofSeconds(2), text -> { }, text -> { });
            String prefix = "primed";
            WorkerTarget<Integer> echo = (messenger, times) -> echo(messenger, prefix, times);
            byte[] target = Bootstrap.encode(echo, 1);
            LiveWorkers.Started worker = start.start(target);
            try {
                exchange(worker.messenger());
                WorkerTarget<Integer> reference = NeverInitialized::decodedOnly;
                List<byte[]> targets = List.of(target, Bootstrap.encode(reference, 1));
                String classes = settings.get(Bootstrap.SPARE_CLASSES);
                Daemons.start("coproc-priming", () -> repeat(worker, targets, classes));
            } catch (Exception | LinkageError e) {
                end(worker);
            }
        } catch (Exception | LinkageError e) {
            // the first task will be slower; the spare works as well
        }
    }

    /**
     * Stops the priming that goes on, within one round: the spare has been taken, and its CPU
     * is its worker's now. Idempotent.
     */
    static void stop() {
        stopped = true;
    }

    /**
     * Loads the classes a worker needs once it runs, and those of recent targets; then the
     * rounds after the first, until they are done or the spare is taken; then ends the worker.
     */
    private static void repeat(LiveWorkers.Started worker, List<byte[]> targets, String targetClasses) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(PipedOutput.class);
            lookup.ensureInitialized(WorkerRuntime.FlushAtExit.class);
            loadAhead(targetClasses);
            for (int round = 1; round < ROUNDS && !stopped; round++) {
                for (byte[] target : targets) {
                    Bootstrap.decode(target);
                }
                exchange(worker.messenger());
            }
        } catch (Exception | LinkageError e) {
            // priming only
        } finally {
            end(worker);
        }
    }

    /** One round: a request of each common type, each answered. */
    private static void exchange(Messenger messenger) throws java.util.concurrent.TimeoutException {
        for (Object value : List.of(1, 2L, 3.5, "text", List.of(1, "two"), Map.of("key", 4), new byte[] {5})) {
            messenger.sendRequest(value);
            messenger.receiveBlocking(PATIENCE);
        }
    }

    private static void end(LiveWorkers.Started worker) {
        try {
            worker.messenger().sendCloseRequest();
            worker.process().waitFor(PATIENCE);
        } catch (Exception e) {
            // priming only
        } finally {
            worker.messenger().close();
        }
    }

    /**
     * Loads and links each named class, which verifies it, without initializing it: none of
     * its code runs. A class this JVM cannot load is left for its start to report.
     */
    private static void loadAhead(String classes) {
        if (classes == null || classes.isEmpty()) {
            return;
        }
        for (String name : classes.split(",")) {
            try {
                Class.forName(name, false, ClassLoader.getSystemClassLoader()).getDeclaredMethods(); // links it
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // its start will say what is wrong
            }
        }
    }

    /**
     * The class of the method reference that priming decodes, which is never run: as a user's
     * class whose static method a target refers to, it is not initialized when the reference
     * is decoded, which takes a method handle form of its own (one that initializes the class
     * first).
     */
    private static final class NeverInitialized {

        private NeverInitialized() {
        }

        static void decodedOnly(Messenger messenger, Integer unused) {
            throw new IllegalStateException("A priming target runs in no worker");
        }
    }

    private static void echo(Messenger messenger, String prefix, int times) {
        while (true) {
            Object value = messenger.receiveBlocking();
            messenger.sendReply(prefix + " " + times + ": " + value + ", " + value.hashCode() + ' ' + 1.5 + " " + 2L);
        }
    }
}
