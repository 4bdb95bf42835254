package coproc.worker.pool;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The results of a call as one unmodifiable list, over the results of its chunks, which all
 * have the same size but the last: read in place rather than copied into one large array
 * (which, for a million results, the JVM's collector handles at a cost to every store of a
 * new result into it). Holds nulls as any result. Immutable once made; safe to share.
 */
final class ChunkedList extends AbstractList<Object> implements RandomAccess {

    private final List<Object>[] chunks;
    private final int chunkSize;
    private final int size;

    /**
     * Creates the list.
     *
     * @param chunks each chunk's results, in order; every one but the last of {@code chunkSize}
     * @param chunkSize the size of every chunk but the last
     * @param size the total size
     */
    ChunkedList(List<Object>[] chunks, int chunkSize, int size) {
        this.chunks = chunks;
        this.chunkSize = chunkSize;
        this.size = size;
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
        }
        return chunks[index / chunkSize].get(index % chunkSize);
    }

    @Override
    public int size() {
        return size;
    }
}
