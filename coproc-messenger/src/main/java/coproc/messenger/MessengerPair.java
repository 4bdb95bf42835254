package coproc.messenger;

/**
 * Two connected messengers in one JVM, as made by {@link PriorityMessenger#newPair()}: one
 * for the worker side, one for the host side. Closing the pair closes both.
 *
 * @param <M> the messenger type
 * @param worker the worker's end
 * @param host the host's end
 */
public record MessengerPair<M extends PipeMessenger>(M worker, M host) implements AutoCloseable {

    /** Closes both messengers. */
    @Override
    public void close() {
        worker.close();
        host.close();
    }
}
