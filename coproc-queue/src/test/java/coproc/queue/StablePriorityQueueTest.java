package coproc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StablePriorityQueueTest {

    // --- the original Python library's cases ---

    @Test
    void shouldReturnItemsOfOnePriorityFirstInFirstOut() {
        StablePriorityQueue<Integer> queue = new StablePriorityQueue<>();
        for (int i = 0; i < 100; i++) {
            queue.put(i, 1.0);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, queue.get());
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldReturnDistinctPrioritiesPutShuffledInAscendingOrder() {
        List<Integer> priorities = new ArrayList<>(IntStream.range(0, 100).boxed().toList());
        Collections.shuffle(priorities, new Random(1));
        StablePriorityQueue<Integer> queue = new StablePriorityQueue<>();
        for (int priority : priorities) {
            queue.put(priority, priority);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, queue.peekPriority());
            assertEquals(i, queue.get());
        }
    }

    @Test
    void shouldReturnManyItemsPerPriorityByPriorityThenFirstInFirstOut() {
        record Item(int priority, int putOrder) {}
        List<int[]> puts = new ArrayList<>();
        for (int priority = 0; priority < 100; priority++) {
            for (int copy = 0; copy < 10; copy++) {
                puts.add(new int[] {priority, copy});
            }
        }
        Collections.shuffle(puts, new Random(2));
        StablePriorityQueue<Item> queue = new StablePriorityQueue<>();
        List<Item> expected = new ArrayList<>();
        for (int i = 0; i < puts.size(); i++) {
            Item item = new Item(puts.get(i)[0], i);
            expected.add(item);
            queue.put(item, item.priority());
        }
        expected.sort(Comparator.comparingInt(Item::priority).thenComparingInt(Item::putOrder));
        assertEquals(1_000, queue.size());
        for (Item item : expected) {
            assertEquals(item, queue.get());
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldReturnEachItemWhenPutAndGetInterleave() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        for (int i = 0; i < 100; i++) {
            queue.put("item" + i, i % 3);
            assertEquals("item" + i, queue.get());
            assertTrue(queue.isEmpty());
        }
    }

    // --- priorities ---

    @Test
    void shouldRejectNanPriorityAndStayUnchanged() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put("a", 1.0);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> queue.put("b", Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("comparable numbers"), e.getMessage());
        assertEquals(1, queue.size());
        assertEquals("a", queue.get());
    }

    @Test
    void shouldOrderInfinitiesBeforeAndAfterEverything() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put("max", Double.MAX_VALUE);
        queue.put("+inf", Double.POSITIVE_INFINITY);
        queue.put("zero", 0.0);
        queue.put("-inf", Double.NEGATIVE_INFINITY);
        queue.put("min", -Double.MAX_VALUE);
        assertEquals(Double.NEGATIVE_INFINITY, queue.peekPriority());
        assertEquals(List.of("-inf", "min", "zero", "max", "+inf"), drain(queue));
    }

    @Test
    void shouldTreatNegativeZeroAsZero() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put("a", 1.0);
        queue.put("b", -0.0);
        queue.put("c", 0.0);
        queue.put("d", -0.0);
        assertEquals(0.0, queue.peekPriority()); // positive zero, bit for bit
        assertEquals(List.of("b", "c", "d", "a"), drain(queue));
        queue.put("e", 0.0);
        queue.put("f", -0.0);
        queue.put("g", -1.0);
        queue.put("h", 0.0);
        assertEquals(List.of("g", "e", "f", "h"), drain(queue));
    }

    @Test
    void shouldPlaceNewLowestPriorityFirstAndKeepOlderOrder() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put("b1", 5);
        queue.put("c1", 7);
        queue.put("a1", 1);
        queue.put("b2", 5);
        queue.put("a2", 1);
        queue.put("z", -3);
        assertEquals(List.of("z", "a1", "a2", "b1", "b2", "c1"), drain(queue));
    }

    // --- nulls, empty queue, housekeeping ---

    @Test
    void shouldQueueNullItemsLikeAnyOther() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put(null, 2);
        queue.put("x", 1);
        queue.put(null, 1);
        assertEquals(3, queue.size());
        assertEquals("x", queue.get());
        assertNull(queue.peek());
        assertNull(queue.get());
        assertNull(queue.get());
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldThrowUsefulNoSuchElementExceptionWhenEmpty() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        NoSuchElementException e = assertThrows(NoSuchElementException.class, queue::get);
        assertEquals("get() on an empty StablePriorityQueue; check isEmpty() or size() first",
                e.getMessage());
        assertTrue(assertThrows(NoSuchElementException.class, queue::peek)
                .getMessage().startsWith("peek() on an empty StablePriorityQueue"));
        assertTrue(assertThrows(NoSuchElementException.class, queue::peekPriority)
                .getMessage().startsWith("peekPriority() on an empty StablePriorityQueue"));
        queue.put("a", 3);
        queue.get();
        assertThrows(NoSuchElementException.class, queue::get);
        assertEquals(0, queue.size());
    }

    @Test
    void shouldPeekWithoutRemoving() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        queue.put("late", 2);
        queue.put("early", 1);
        assertEquals("early", queue.peek());
        assertEquals(1.0, queue.peekPriority());
        assertEquals(2, queue.size());
        assertEquals("early", queue.get());
        assertEquals("late", queue.peek());
        assertEquals(2.0, queue.peekPriority());
    }

    @Test
    void shouldBeEmptyAndUsableAfterClear() {
        StablePriorityQueue<Integer> queue = new StablePriorityQueue<>();
        for (int i = 0; i < 50; i++) {
            queue.put(i, i % 7);
        }
        queue.clear();
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.size());
        assertThrows(NoSuchElementException.class, queue::get);
        queue.put(1, 4);
        queue.put(2, 3);
        assertEquals(List.of(2, 1), drain(queue));
    }

    @Test
    void shouldDescribeItselfWithItsSize() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        assertEquals("StablePriorityQueue[size=0]", queue.toString());
        queue.put("a", 1);
        queue.put("b", 1);
        queue.put("c", 2);
        assertEquals("StablePriorityQueue[size=3]", queue.toString());
    }

    @Test
    void shouldKeepFirstInFirstOutAcrossBufferGrowthAndWrapAround() {
        StablePriorityQueue<Integer> queue = new StablePriorityQueue<>();
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < round % 37 + 1; i++) {
                queue.put(next++, Double.NEGATIVE_INFINITY);
            }
            for (int i = 0; i < round % 23 && !queue.isEmpty(); i++) {
                assertEquals(expected++, queue.get());
            }
        }
        while (!queue.isEmpty()) {
            assertEquals(expected++, queue.get());
        }
        assertEquals(next, expected);
    }

    @Test
    void shouldReportSizeAcrossPriorities() {
        StablePriorityQueue<String> queue = new StablePriorityQueue<>();
        assertTrue(queue.isEmpty());
        queue.put("a", 2);
        queue.put("b", 1);
        queue.put("c", 2);
        assertFalse(queue.isEmpty());
        assertEquals(3, queue.size());
    }

    // --- oracle ---

    /** Reference entry; compares priorities with primitive operators, so -0.0 == 0.0. */
    record Ref(double priority, long seq, Object item) {
        static final Comparator<Ref> ORDER = (a, b) -> a.priority < b.priority ? -1
                : a.priority > b.priority ? 1 : Long.compare(a.seq, b.seq);
    }

    static final double[] SMALL_PRIORITY_SET = {
        Double.NEGATIVE_INFINITY, -2.5, -1.0, -0.0, 0.0, 1.0, 1.0, 3.0, Double.POSITIVE_INFINITY,
    };

    /** A small set of priorities half the time, otherwise one of 300 distinct values. */
    static double randomPriority(Random random, boolean wide) {
        if (wide && random.nextBoolean()) {
            return random.nextInt(300) - 150;
        }
        return SMALL_PRIORITY_SET[random.nextInt(SMALL_PRIORITY_SET.length)];
    }

    /** Put probability that swings between growing and shrinking phases. */
    static double putProbability(int op) {
        return switch ((op / 700) % 3) {
            case 0 -> 0.75;
            case 1 -> 0.3;
            default -> 0.52;
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20240601, -7})
    void shouldMatchReferenceHeapOnRandomOperations(long seed) {
        Random random = new Random(seed);
        boolean wide = seed % 2 == 0;
        StablePriorityQueue<Object> queue = new StablePriorityQueue<>();
        PriorityQueue<Ref> reference = new PriorityQueue<>(Ref.ORDER);
        long seq = 0;
        for (int op = 0; op < 10_000; op++) {
            if (random.nextDouble() < putProbability(op)) {
                double priority = randomPriority(random, wide);
                Object item = random.nextInt(20) == 0 ? null : op;
                queue.put(item, priority);
                reference.add(new Ref(priority, seq++, item));
            } else if (reference.isEmpty()) {
                assertThrows(NoSuchElementException.class, queue::get, "op " + op);
            } else {
                assertEquals(reference.poll().item(), queue.get(), "op " + op);
            }
            assertEquals(reference.size(), queue.size(), "op " + op);
            assertEquals(reference.isEmpty(), queue.isEmpty(), "op " + op);
            if (!reference.isEmpty()) {
                assertEquals(reference.peek().item(), queue.peek(), "op " + op);
                assertEquals(reference.peek().priority() + 0.0, queue.peekPriority(), "op " + op);
            }
            if (op == 5_000) {
                queue.clear();
                reference.clear();
            }
        }
        while (!reference.isEmpty()) {
            assertEquals(reference.poll().item(), queue.get());
        }
        assertTrue(queue.isEmpty());
    }

    private static <T> List<T> drain(StablePriorityQueue<T> queue) {
        List<T> items = new ArrayList<>();
        while (!queue.isEmpty()) {
            items.add(queue.get());
        }
        return items;
    }
}
