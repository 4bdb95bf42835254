package coproc.worker.pool.internal;

import coproc.api.Messenger;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The target of a persistent pool worker: keeps the functions the host loads and maps them
 * over the chunks it sends, until asked to close.
 */
public final class PoolWorkerTarget {

    private static final Function<Object, Object> MISSING = item -> {
        throw new IllegalStateException("The worker has no such function: the host did not load it");
    };

    private PoolWorkerTarget() {
    }

    /**
     * Runs the worker's loop; ends when the host asks it to close.
     *
     * @param messenger the worker's messenger
     * @param unused no start argument
     */
    public static void run(Messenger messenger, Void unused) {
        Map<Long, Function<Object, Object>> functions = new HashMap<>();
        ChunkRunner runner = new ChunkRunner(messenger, true);
        while (true) {
            if (messenger.queueSize(Wire.TASKS) == 0) {
                runner.flush(); // nothing queued: the host may wait for what is held
            }
            Object message = messenger.receiveBlocking(Wire.TASKS);
            if (message instanceof Wire.Batch batch) {
                for (Object each : batch.messages()) {
                    handle(each, functions, runner);
                }
                runner.flush(); // a batch in, a batch out: the host sends the next meanwhile
            } else {
                handle(message, functions, runner);
            }
        }
    }

    private static void handle(Object message, Map<Long, Function<Object, Object>> functions, ChunkRunner runner) {
        if (message instanceof Wire.Chunk chunk) {
            runner.run(chunk, functions.getOrDefault(chunk.function(), MISSING));
        } else if (message instanceof Wire.LoadFunction load) {
            functions.remove(load.forget());
            functions.put(load.id(), FunctionCodec.decode(load.function()));
        } else {
            throw new IllegalStateException("A pool worker got a message it does not know: " + message);
        }
    }
}
