package coproc.worker.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Ring}: values under consecutive keys, removed in any order. */
class RingTest {

    @Test
    void shouldKeepValuesUnderConsecutiveKeysThroughGrowthAndRemovalInAnyOrder() {
        Ring<String> ring = new Ring<>(5);
        for (int i = 0; i < 40; i++) {
            assertEquals(5 + i, ring.add("v" + i));
        }
        assertEquals("v0", ring.lowest());
        assertEquals("v17", ring.remove(22));
        assertNull(ring.get(22), "removed");
        assertNull(ring.remove(22), "removed once");
        assertEquals("v0", ring.remove(5));
        assertEquals("v1", ring.lowest());
        for (long key = 6; key < 45; key++) {
            ring.remove(key);
        }
        assertTrue(ring.isEmpty());
        assertEquals(45, ring.nextKey(), "keys go on from where they were");
        assertEquals(45, ring.add("again"));
        assertNull(ring.get(4));
        assertNull(ring.get(46));
    }

    @Test
    void shouldVisitValuesLowestKeyFirstAndClear() {
        Ring<Integer> ring = new Ring<>(0);
        for (int i = 0; i < 20; i++) {
            ring.add(i); // wraps around once the low end has moved
            if (i % 3 == 0) {
                ring.remove(i);
            }
        }
        List<Integer> seen = new ArrayList<>();
        ring.forEach(seen::add);
        assertEquals(List.of(1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19), seen);
        assertEquals(13, ring.size());
        ring.clear(0);
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.add(99));
    }
}
