package coproc.worker.pool;

import java.util.Arrays;
import java.util.List;

/**
 * The results of a run of consecutive items that may arrive in pieces (when they did not fit
 * in one frame, or their items did not): collects them until the run is whole. Not
 * thread-safe; each piece must be new and cover items no other piece covers.
 */
final class Pieces {

    private final int size;
    private Object[] parts;
    private int missing;

    Pieces(int size) {
        this.size = size;
        this.missing = size;
    }

    /**
     * Adds a piece.
     *
     * @param offset the index in the run of the piece's first result
     * @param piece the results
     * @return the whole run once every piece has arrived, else {@code null}
     */
    List<Object> add(int offset, List<Object> piece) {
        if (parts == null && offset == 0 && piece.size() == size) {
            missing = 0;
            return piece; // the usual case: one piece
        }
        if (parts == null) {
            parts = new Object[size];
        }
        Object[] values = piece.toArray();
        System.arraycopy(values, 0, parts, offset, values.length);
        missing -= values.length;
        return missing == 0 ? Arrays.asList(parts) : null;
    }
}
