package coproc.worker.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * Items of a call for one worker to map: a whole chunk of the call, or a part of one that had
 * to be split to fit in a frame.
 *
 * @param call the call
 * @param chunk the index of the chunk in the call
 * @param offset the index in the chunk of the first item
 * @param firstItem the index in the call's input of the first item
 * @param items the items
 * @param losses how many times a worker died computing them
 * @param suspect whether a worker died while it had them, among others: they are then sent
 *     alone, so that a death is blamed on the items that caused it
 */
record PoolTask(PoolCall call, int chunk, int offset, long firstItem, List<Object> items, int losses,
        boolean suspect) {

    /** The same items, lost once more, by a worker that had nothing else. */
    PoolTask lost() {
        return new PoolTask(call, chunk, offset, firstItem, items, losses + 1, true);
    }

    /** The same items, with a worker that died with other items too. */
    PoolTask suspected() {
        return new PoolTask(call, chunk, offset, firstItem, items, losses, true);
    }

    /** The first half of the items; with {@link #secondHalf()}, for a task too large for a frame. */
    PoolTask firstHalf() {
        return new PoolTask(call, chunk, offset, firstItem, new ArrayList<>(items.subList(0, items.size() / 2)),
                losses, suspect);
    }

    /** The second half of the items. */
    PoolTask secondHalf() {
        int half = items.size() / 2;
        return new PoolTask(call, chunk, offset + half, firstItem + half,
                new ArrayList<>(items.subList(half, items.size())), losses, suspect);
    }
}
