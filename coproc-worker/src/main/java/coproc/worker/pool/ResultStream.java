package coproc.worker.pool;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A sequential stream of results that arrive in batches: each step takes the next batch when
 * the last is used up, blocking as the source blocks, and the stream ends when the source
 * returns {@code null}. What the source throws, the stream's terminal operation throws.
 */
final class ResultStream {

    private ResultStream() {
    }

    /**
     * Makes the stream.
     *
     * @param <R> the type of the results
     * @param batches the next batch, blocking until there is one; {@code null} at the end
     * @param onClose run when the stream is closed
     * @return the stream
     */
    static <R> Stream<R> of(Supplier<List<Object>> batches, Runnable onClose) {
        Iterator<R> results = new Iterator<>() {
            private List<Object> batch = List.of();
            private int next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!ended && next == batch.size()) {
                    List<Object> more = batches.get();
                    if (more == null) {
                        ended = true;
                        batch = List.of();
                    } else {
                        batch = more;
                    }
                    next = 0;
                }
                return !ended;
            }

            @Override
            @SuppressWarnings("unchecked")
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("No more results");
                }
                return (R) batch.get(next++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, Spliterator.ORDERED), false)
                .onClose(onClose);
    }
}
