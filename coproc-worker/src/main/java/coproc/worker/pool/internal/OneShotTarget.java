package coproc.worker.pool.internal;

import coproc.api.Messenger;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/**
 * The target of a one-shot worker: maps its function over the chunks it was started with,
 * replies for each, and ends.
 */
public final class OneShotTarget {

    private OneShotTarget() {
    }

    /**
     * What a one-shot worker is started with.
     *
     * @param function the function, a serializable one
     * @param chunks the worker's chunks, each ticket the chunk's index in the whole input
     */
    public record Work(Function<Object, Object> function, List<Wire.Chunk> chunks) implements Serializable {
    }

    /**
     * Maps the function over every chunk, then returns, which ends the worker.
     *
     * @param messenger the worker's messenger
     * @param work the function and the chunks
     */
    public static void run(Messenger messenger, Work work) {
        ChunkRunner runner = new ChunkRunner(messenger, false);
        for (Wire.Chunk chunk : work.chunks()) {
            runner.run(chunk, work.function());
        }
        runner.flush();
    }
}
