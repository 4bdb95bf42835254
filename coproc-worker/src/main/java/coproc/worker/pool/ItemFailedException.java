package coproc.worker.pool;

import coproc.api.CoprocException;

/**
 * Thrown by a pool's call when the function threw for one of its items. The
 * {@linkplain #getCause() cause} is the worker's exception: as its own type when it is
 * unchecked and its class is present in the host, with the worker's stack trace; otherwise a
 * {@link coproc.api.RemoteWorkerException} naming its class. The rest of the call's work was
 * cancelled; the pool stays usable.
 */
public final class ItemFailedException extends CoprocException {

    private static final long serialVersionUID = 1L;

    private final long index;

    /**
     * Creates the exception.
     *
     * @param index the index of the item in the call's input, from 0
     * @param cause the exception the function threw in the worker
     */
    public ItemFailedException(long index, Throwable cause) {
        super("Item " + index + " failed in its worker: " + cause, cause);
        this.index = index;
    }

    /**
     * Returns the index of the item that failed.
     *
     * @return its index in the call's input, from 0
     */
    public long index() {
        return index;
    }
}
