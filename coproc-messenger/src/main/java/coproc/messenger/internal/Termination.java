package coproc.messenger.internal;

import coproc.api.PipeClosedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How a pipe ended, as one value: open, closed by this side, or ended by a failure (the other
 * side gone, a write that failed, a frame that could not be read). The first end wins; every
 * send after it throws what ended the pipe. Thread-safe: the reader, the flusher, senders and
 * {@code close} all report here.
 */
final class Termination {

    /** The state of a pipe. */
    sealed interface State {
    }

    /** Open: sends go out. */
    record Open() implements State {
    }

    /** Closed by this side with {@code close()}. */
    record Closed() implements State {
    }

    /**
     * Ended by a failure.
     *
     * @param error what sends, and receives that find nothing more, throw
     */
    record Ended(RuntimeException error) implements State {
    }

    private static final State OPEN = new Open();
    private static final State CLOSED = new Closed();

    private final AtomicReference<State> state = new AtomicReference<>(OPEN);
    /**
     * Makes what the other side's going away is reported as; called at most once, under this
     * object's monitor ({@link #peerLost}), which is taken with no other lock held by this class.
     */
    private final Supplier<? extends RuntimeException> peerLoss;

    /**
     * Creates an open pipe's termination.
     *
     * @param peerLoss makes the exception that reports the other side's going away, or
     *     {@code null} for a {@link PipeClosedException}
     */
    Termination(Supplier<? extends RuntimeException> peerLoss) {
        this.peerLoss = peerLoss;
    }

    /** Whether this side closed the pipe. */
    boolean isClosed() {
        return state.get() instanceof Closed;
    }

    /** Whether the pipe is neither closed nor ended. */
    boolean isOpen() {
        return state.get() instanceof Open;
    }

    /**
     * Marks the pipe closed by this side, unless it has ended already.
     *
     * @return {@code true} if it was open
     */
    boolean close() {
        return state.compareAndSet(OPEN, CLOSED);
    }

    /**
     * Ends the pipe with an error, unless it has ended or closed already, and reports the
     * failure ({@link PipeEvents#failed}).
     *
     * @param error what ended it
     * @return what sends throw from now on: {@code error}, or what ended the pipe first
     */
    RuntimeException fail(RuntimeException error) {
        RuntimeException end = end(error);
        if (end == error) {
            PipeEvents.failed(error);
        }
        return end;
    }

    /** Ends the pipe with an error unless it has ended or closed already; returns what sends throw now. */
    private RuntimeException end(RuntimeException error) {
        Objects.requireNonNull(error, "error");
        State now = state.updateAndGet(s -> s instanceof Open ? new Ended(error) : s);
        return failure(now);
    }

    /**
     * Ends the pipe because the other side went away (or, once closed, because this side
     * closed it), as {@link #fail} does; the peer-loss exception is made once.
     *
     * @param cause what showed it, or {@code null}
     * @return what sends throw from now on
     */
    synchronized RuntimeException peerLost(Throwable cause) {
        State now = state.get();
        if (!(now instanceof Open)) {
            return failure(now);
        }
        return end(peerLoss != null ? peerLoss.get() : new PipeClosedException("The other side closed the pipe", cause));
    }

    /**
     * Throws what ended the pipe, if it is not open.
     *
     * @throws PipeClosedException if this side closed it
     * @throws RuntimeException what ended it
     */
    void checkOpen() {
        State now = state.get();
        if (!(now instanceof Open)) {
            throw failure(now);
        }
    }

    /** What a closed or ended pipe throws. */
    private static RuntimeException failure(State state) {
        if (state instanceof Ended ended) {
            return ended.error();
        }
        return new PipeClosedException("This messenger is closed; it can neither send nor receive");
    }

    /** Whether a peer-loss exception was given, so that a truncated frame is reported as the peer's death. */
    boolean reportsPeerLoss() {
        return peerLoss != null;
    }

    @Override
    public String toString() {
        return state.get().toString();
    }
}
