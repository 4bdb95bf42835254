package coproc.worker.pool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds a lazy call: reads the input, on the caller's thread, only as far as a bounded number
 * of chunks ahead of the results the caller has taken, and takes the results in order. So the
 * memory a lazy call holds is bounded whatever the input's length. Not thread-safe: for the
 * thread that consumes the call's stream.
 */
final class LazyFeed implements Supplier<List<Object>> {

    /** Where a chunk goes once read: the pool's queue. */
    @FunctionalInterface
    interface Sink {
        void submit(PoolCall call, long firstItem, List<Object> items);
    }

    private final PoolCall call;
    private final Iterator<?> input;
    private final Chunking sizes;
    private final int window;
    private final Sink sink;
    private long position;
    private int submitted;
    private int taken;
    private boolean ended;

    /**
     * Creates the feed.
     *
     * @param call the call
     * @param input the input
     * @param sizes the sizes of the chunks
     * @param window how many chunks may be submitted and not yet taken
     * @param sink where chunks go
     */
    LazyFeed(PoolCall call, Iterator<?> input, Chunking sizes, int window, Sink sink) {
        this.call = call;
        this.input = input;
        this.sizes = sizes;
        this.window = window;
        this.sink = sink;
    }

    /**
     * Tops the chunks up to the window, then takes the next chunk's results.
     *
     * @return the results, or {@code null} at the end
     * @throws RuntimeException what the call failed with, or what the input threw (the call is
     *     then cancelled)
     */
    @Override
    public List<Object> get() {
        try {
            while (!ended && submitted - taken < window) {
                if (!input.hasNext()) {
                    ended = true;
                    call.endInput();
                    break;
                }
                int size = sizes.next(call.nanosPerItem());
                List<Object> items = new ArrayList<>(Math.min(size, 1024));
                while (items.size() < size && input.hasNext()) {
                    items.add(input.next());
                }
                sink.submit(call, position, items);
                position += items.size();
                submitted++;
            }
        } catch (RuntimeException | Error e) {
            call.cancel();
            throw e;
        }
        return taken == submitted ? null : call.take(taken++);
    }
}
