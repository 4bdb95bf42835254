package coproc.worker.pool;

import coproc.api.WorkerDiedException;

/**
 * Thrown by a pool's call when a chunk of its items was lost as often as the pool tries a
 * chunk: each time, the worker computing it died (it was killed, called {@code System.exit},
 * ran out of memory, or its pipe failed). The exit code and standard error tail are those of
 * the last death, which is the {@linkplain #getCause() cause}. The rest of the call's work was
 * cancelled; the pool stays usable, with a fresh worker in place of the dead one.
 */
public final class ChunkLostException extends WorkerDiedException {

    private static final long serialVersionUID = 1L;

    private final int chunk;
    private final long firstItem;
    private final int items;
    private final int tries;

    /**
     * Creates the exception.
     *
     * @param chunk the index of the chunk in the call, from 0
     * @param firstItem the index of the chunk's first item in the call's input
     * @param items how many items the chunk has
     * @param tries how many times it was sent
     * @param lastDeath why the last try was lost: a {@link WorkerDiedException}, or another
     *     failure of the pipe
     */
    public ChunkLostException(int chunk, long firstItem, int items, int tries, Throwable lastDeath) {
        super(lastDeath instanceof WorkerDiedException died && died.exitCode().isPresent()
                ? died.exitCode().getAsInt() : null,
                lastDeath instanceof WorkerDiedException died ? died.stderrTail() : "");
        initCause(lastDeath);
        this.chunk = chunk;
        this.firstItem = firstItem;
        this.items = items;
        this.tries = tries;
    }

    @Override
    public String getMessage() {
        return "Chunk " + chunk + " (items " + firstItem + " to " + (firstItem + items - 1) + ") was lost: its worker"
                + " died on each of its " + tries + (tries == 1 ? " try" : " tries") + ". Last: "
                + (getCause() instanceof WorkerDiedException died ? died.getMessage() : String.valueOf(getCause()));
    }

    /**
     * Returns the index of the chunk in the call.
     *
     * @return the chunk's index, from 0
     */
    public int chunk() {
        return chunk;
    }

    /**
     * Returns the index of the chunk's first item in the call's input.
     *
     * @return the index, from 0
     */
    public long firstItem() {
        return firstItem;
    }

    /**
     * Returns how many items the chunk has.
     *
     * @return the number of items
     */
    public int items() {
        return items;
    }

    /**
     * Returns how many times the chunk was sent.
     *
     * @return the number of tries
     */
    public int tries() {
        return tries;
    }
}
