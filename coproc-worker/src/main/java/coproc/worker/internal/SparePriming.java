package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Primes a spare JVM: runs once through what a worker's first task typically uses, so that
 * the first reply after the spare is taken comes in milliseconds rather than tens of them.
 * It starts a {@code thread} worker inside the spare, over a real pipe with the spare's
 * serializer and messenger kind, whose target — a serializable lambda of coproc's own that
 * captures a value — is sent through the same encode, deserialize and run path as a user's,
 * and exchanges requests of common types with it, {@value #ROUNDS} times each, each reply made
 * by string concatenation. Only coproc's code runs; the spare's own pipe is not touched. Priming only
 * ever makes a start quicker: whatever goes wrong is ignored.
 */
final class SparePriming {

    /** A hang guard: priming that takes longer is abandoned. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How many times the requests go round: enough for the compiler to take the pipe's and the
     * serializer's paths, which the first real exchange then runs compiled (measured: start to
     * first reply 10.1-10.7 ms with one round, 7.7-8.7 ms with 300; about 0.1 s of a CPU per
     * spare, while it is idle anyway).
     */
    private static final int ROUNDS = 300;

    private SparePriming() {
    }

    /**
     * Primes this JVM for a worker with these settings; blocks until done, for at most about
     * {@link #PATIENCE}. Throws nothing.
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
            LiveWorkers.Started worker = start.start(Bootstrap.encode(echo, 1));
            try {
                Messenger messenger = worker.messenger();
                for (int round = 0; round < ROUNDS; round++) {
                    for (Object value : List.of(1, 2L, 3.5, "text", List.of(1, "two"), Map.of("key", 4), new byte[] {5})) {
                        messenger.sendRequest(value);
                        messenger.receiveBlocking(PATIENCE);
                    }
                }
                messenger.sendCloseRequest();
                worker.process().waitFor(PATIENCE);
            } finally {
                worker.messenger().close();
            }
        } catch (Exception | LinkageError e) {
            // the first task will be slower; the spare works as well
        }
    }

    private static void echo(Messenger messenger, String prefix, int times) {
        while (true) {
            Object value = messenger.receiveBlocking();
            messenger.sendReply(prefix + " " + times + ": " + value + ", " + value.hashCode() + ' ' + 1.5 + " " + 2L);
        }
    }
}
