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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Primes a spare JVM: runs through what a worker's first task typically uses, so that the
 * first reply after the spare is taken comes in milliseconds rather than tens of them. On a
 * thread of its own, while the spare waits for its target, it starts a {@code thread} worker
 * inside the spare, over a real pipe with the spare's serializer and messenger kind, whose
 * target — a serializable lambda of coproc's own that captures a value — is sent through the
 * same encode, deserialize and run path as a user's; then exchanges requests of common types
 * with it, each reply made by string concatenation, round after round until the spare is
 * taken, each round decoding the target again, a method reference, the other usual form of
 * a target, and a lambda and a method reference that travel as JDK serialization writes them
 * rather than as a {@link DirectLambda} (as those do whose method coproc cannot reach). It
 * also loads the classes a worker that owns its JVM needs once it runs, and loads and links
 * (verifies) the classes that recent targets need
 * ({@link Bootstrap#SPARE_CLASSES}) without initializing them. A spare taken while it primes
 * goes on at once, and the priming stops within a request. Only coproc's code runs; the
 * spare's own pipe is not touched. Priming only ever makes a start quicker: whatever goes
 * wrong is ignored.
 */
final class SparePriming {

    /** A hang guard: priming that takes longer is abandoned. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How many times the requests go round at most: enough for the compiler to take the pipe's
     * and the serializer's paths, which the first real exchange then runs compiled (measured:
     * start to first reply 10.1-10.7 ms with one round, 7.7-8.9 ms with 300; about 0.2 s of a
     * CPU per spare).
     */
    private static final int ROUNDS = 300;
    /**
     * How long this JVM's exit waits for the priming to end: while the priming's threads wait
     * for input in native code, the JVM's exit waits 300 ms for them (measured: a taken spare
     * that primed took 360-400 ms to exit, one that did not 30-50 ms).
     */
    private static final long EXIT_PATIENCE_MILLIS = 200;
    /** Set once the spare is taken. */
    private static volatile boolean stopped;
    /** Counted down once the priming has ended, its worker and pipe too. */
    private static final CountDownLatch ENDED = new CountDownLatch(1);

    private SparePriming() {
    }

    /**
     * Starts priming this JVM for a worker with these settings, on a thread of its own, and
     * returns at once: the priming goes once through everything, then on repeating the
     * requests, until it is done or {@link #stop()}. Throws nothing.
     *
     * @param settings the spare's settings: its serializer, messenger kind and frame limit
     */
    static void prime(Map<String, String> settings) {
        try {
            Daemons.start("coproc-priming", () -> {
                try {
                    run(settings);
                } finally {
                    ENDED.countDown();
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(SparePriming::endAtExit, "coproc-priming-end"));
        } catch (RuntimeException | Error e) {
            ENDED.countDown(); // no priming, and nothing for the exit to wait for
        }
    }

    /**
     * Encodes and decodes a target of coproc's own once, which takes the serializer's and the
     * lambda decoding's first steps; on a thread of the spare's own, while it connects. Throws
     * nothing.
     */
    static void decodeOnce() {
        try {
            Bootstrap.decode(echoTarget());
        } catch (Exception | LinkageError e) {
            // the first task will be slower; the spare works as well
        }
    }

    /**
     * Stops the priming that goes on, within one request: the spare has been taken, and its
     * CPU is its worker's now. Idempotent.
     */
    static void stop() {
        stopped = true;
    }

    /**
     * Goes through everything once, loads the classes a worker needs once it runs and those of
     * recent targets, then repeats the rounds until they are done or the spare is taken; then
     * ends the priming worker.
     */
    private static void run(Map<String, String> settings) {
        if (stopped) {
            return;
        }
        LiveWorkers.Started worker;
        List<byte[]> targets;
        try {
            MessengerOptions options = MessengerOptions.defaults()
                    .withSerializer(settings.getOrDefault(Bootstrap.SERIALIZER, "kryo"))
                    .withMaxFrameLength(Integer.parseInt(settings.getOrDefault(Bootstrap.MAX_FRAME,
                            Integer.toString(MessengerOptions.defaults().maxFrameLength()))));
            MessengerKind kind = MessengerKind.valueOf(settings.getOrDefault(Bootstrap.MESSENGER, "PRIORITY"));
            WorkerStart start = new WorkerStart(new ThreadLauncherProvider().create(), kind, options,
                    LaunchSpec.Jvm.withOptions(List.of()), PATIENCE, Duration.ofSeconds(2), text -> { }, text -> { });
            WorkerTarget<Integer> reference = SparePriming::decodedOnly;
            Serialized serializedReference = NeverInitialized::decodedOnly;
            Serialized serialized = (messenger, times) -> echo(messenger, "serialized", times);
            targets = List.of(echoTarget(), Bootstrap.encode(reference, null), Bootstrap.encode(serializedReference, 1),
                    Bootstrap.encode(serialized, 1));
            if (stopped) {
                return;
            }
            worker = start.start(targets.get(0));
        } catch (Exception | LinkageError e) {
            return; // the first task will be slower; the spare works as well
        }
        try {
            exchange(worker.messenger());
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            lookup.ensureInitialized(PipedOutput.class);
            lookup.ensureInitialized(PipedOutput.Streams.class);
            lookup.ensureInitialized(WorkerRuntime.FlushAtExit.class);
            if (!stopped) {
                loadAhead(settings.get(Bootstrap.SPARE_CLASSES));
            }
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

    /** This JVM exits: stops the priming and waits, briefly, for it to end. */
    private static void endAtExit() {
        stop();
        try {
            ENDED.await(EXIT_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round: a request of each common type, each answered, until the spare is taken. */
    private static void exchange(Messenger messenger) throws java.util.concurrent.TimeoutException {
        for (Object value : List.of(1, 2L, 3.5, "text", List.of(1, "two"), Map.of("key", 4), new byte[] {5})) {
            if (stopped) {
                return;
            }
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
     * A target interface of priming's own: a lambda of it travels as JDK serialization writes
     * it, not as a {@link DirectLambda}, as a user's lambda does whose method coproc cannot reach.
     */
    interface Serialized extends WorkerTarget<Integer> {
    }

    /**
     * The class of the method reference that priming decodes as JDK serialization writes it,
     * which is never run: as a user's class whose static method such a target refers to, it is
     * not initialized when the reference is decoded, which takes a method handle form of its
     * own (one that initializes the class first). Package access for tests: only priming loads
     * it.
     */
    static final class NeverInitialized {

        private NeverInitialized() {
        }

        static void decodedOnly(Messenger messenger, Integer unused) {
            throw new IllegalStateException("A priming target runs in no worker");
        }
    }

    /**
     * The method of the reference that priming decodes as a {@link DirectLambda}, which is never
     * run. Its argument, not an {@code Object}, makes the decoded handle cast it, as most
     * targets' arguments do.
     */
    private static void decodedOnly(Messenger messenger, Integer unused) {
        throw new IllegalStateException("A priming target runs in no worker");
    }

    /** The priming's target, encoded: a lambda that captures a value, as a user's typically is. */
    private static byte[] echoTarget() {
        String prefix = "primed";
        WorkerTarget<Integer> echo = (messenger, times) -> echo(messenger, prefix, times);
        return Bootstrap.encode(echo, 1);
    }

    private static void echo(Messenger messenger, String prefix, int times) {
        while (true) {
            Object value = messenger.receiveBlocking();
            messenger.sendReply(prefix + " " + times + ": " + value + ", " + value.hashCode() + ' ' + 1.5 + " " + 2L);
        }
    }
}
