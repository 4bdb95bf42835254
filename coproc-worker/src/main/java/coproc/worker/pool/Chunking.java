package coproc.worker.pool;

import coproc.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * How the pools cut their input into chunks: the default size for an input of known size,
 * and, for inputs of unknown size, sizes that start at 1 and grow while the chunks are quick.
 * An instance is the sizer of one lazy call; not thread-safe.
 */
final class Chunking {

    /** The compute time a grown chunk aims at: long next to a message's cost, short for balance. */
    static final long TARGET_CHUNK_NANOS = 20_000_000L;
    /** The bytes per item a chunk of the largest default size may take, at a quarter of the frame limit. */
    private static final int BYTES_PER_ITEM = 1024;

    private final int fixed;
    private final int max;
    private int current;

    private Chunking(int fixed, int max) {
        this.fixed = fixed;
        this.max = max;
    }

    /**
     * A sizer for an input of unknown size.
     *
     * @param chunkSize the size of every chunk, or 0 to start at 1 and grow
     * @param options the options of the workers, whose frame limit caps the growth
     * @return the sizer
     */
    static Chunking forUnknownSize(int chunkSize, WorkerOptions options) {
        return new Chunking(chunkSize, maxDefault(options));
    }

    /**
     * The size of the next chunk: fixed, or 1 until a chunk has been timed, then twice the
     * last size as long as a chunk stays within {@link #TARGET_CHUNK_NANOS}, up to the cap.
     *
     * @param nanosPerItem the latest measure of an item's compute time, or negative if none yet
     * @return the size
     */
    int next(long nanosPerItem) {
        if (fixed > 0) {
            return fixed;
        }
        if (current == 0 || nanosPerItem < 0) {
            current = Math.max(current, 1);
            return current;
        }
        long fits = TARGET_CHUNK_NANOS / Math.max(1, nanosPerItem);
        current = (int) Math.max(1, Math.min(Math.min(2L * current, fits), max));
        return current;
    }

    /**
     * The largest default chunk: as many items as fit in a quarter of a frame at
     * {@value #BYTES_PER_ITEM} bytes each (16,384 with the default 64 MiB frames). A chunk whose
     * items take more is split when it is sent.
     */
    static int maxDefault(WorkerOptions options) {
        return Math.max(1, options.maxFrameLength() / 4 / BYTES_PER_ITEM);
    }

    /**
     * The default chunk size of an input of known size: about {@code size / (4 × workers)}, as
     * Python's {@code multiprocessing} has it, at least 1 and at most {@link #maxDefault}.
     */
    static int defaultSize(long size, int workers, WorkerOptions options) {
        long quarter = (size + 4L * workers - 1) / (4L * workers);
        return (int) Math.max(1, Math.min(quarter, maxDefault(options)));
    }

    /**
     * Checks a chunk size given by the caller.
     *
     * @throws IllegalArgumentException if it is less than 1
     */
    static int checked(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be at least 1: chunkSize=" + chunkSize
                    + ". Leave it out for the default");
        }
        return chunkSize;
    }

    /** The items as a list that is quick to slice: the list itself when it is one. */
    static List<?> indexable(Collection<?> items) {
        return items instanceof List<?> list && items instanceof RandomAccess ? list : new ArrayList<>(items);
    }

    /** A copy of a slice, of a class every serializer carries. */
    static List<Object> slice(List<?> items, int from, int to) {
        return new ArrayList<>(items.subList(from, to));
    }
}
