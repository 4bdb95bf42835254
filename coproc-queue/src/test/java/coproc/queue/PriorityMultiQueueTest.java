package coproc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.queue.StablePriorityQueueTest.Ref;
import coproc.queue.TestChannels.Color;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PriorityMultiQueueTest {

    @Test
    void shouldOrderEachChannelByPriorityThenFirstInFirstOut() {
        PriorityMultiQueue<String> queue = new PriorityMultiQueue<>();
        List<Integer> priorities = new ArrayList<>();
        for (int priority = 0; priority < 100; priority++) {
            for (int copy = 0; copy < 10; copy++) {
                priorities.add(priority);
            }
        }
        Collections.shuffle(priorities, new Random(3));
        Map<Integer, Integer> copies = new HashMap<>();
        for (int priority : priorities) {
            int copy = copies.merge(priority, 1, Integer::sum) - 1;
            queue.put(Color.RED, priority + "/" + copy, priority);
            queue.put(null, "n" + priority + "/" + copy, -priority);
        }
        for (int priority = 0; priority < 100; priority++) {
            for (int copy = 0; copy < 10; copy++) {
                assertEquals(priority + "/" + copy, queue.get(Color.RED));
            }
        }
        for (int priority = 99; priority >= 0; priority--) {
            for (int copy = 0; copy < 10; copy++) {
                assertEquals("n" + priority + "/" + copy, queue.get(null));
            }
        }
        assertEquals(0, queue.totalSize());
    }

    @Test
    void shouldReturnEachItemWhenPutAndGetInterleavePerChannel() {
        PriorityMultiQueue<String> queue = new PriorityMultiQueue<>();
        for (int i = 0; i < 100; i++) {
            for (Object channel : TestChannels.ALL) {
                queue.put(channel, channel + "#" + i, i % 4);
            }
            for (Object channel : TestChannels.ALL) {
                assertEquals(channel + "#" + i, queue.get(TestChannels.equalCopy(channel)));
            }
        }
        assertEquals(0, queue.totalSize());
    }

    @Test
    void shouldRejectNanWithoutCreatingTheChannel() {
        PriorityMultiQueue<String> queue = new PriorityMultiQueue<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> queue.put("new", "x", Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(queue.hasChannel("new"));
        assertEquals(0, queue.totalSize());
        queue.put("old", "y", 1);
        assertThrows(IllegalArgumentException.class, () -> queue.put("old", "z", Double.NaN));
        assertEquals(1, queue.size("old"));
        assertEquals(1, queue.totalSize());
    }

    @Test
    void shouldQueueNullItemsAndNameTheChannelWhenEmpty() {
        PriorityMultiQueue<String> queue = new PriorityMultiQueue<>();
        queue.put(null, null, Double.NEGATIVE_INFINITY);
        assertNull(queue.get(null));
        NoSuchElementException e =
                assertThrows(NoSuchElementException.class, () -> queue.get(null));
        assertTrue(e.getMessage().startsWith("get(channel) on PriorityMultiQueue: channel null"
                + " is empty"), e.getMessage());
        assertTrue(queue.hasChannel(null));
        assertTrue(queue.channels().contains(null));
        assertEquals(1, queue.channels().size());
        assertEquals("PriorityMultiQueue[null=0]", queue.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20240601, -7})
    void shouldMatchReferenceHeapsOnRandomOperations(long seed) {
        Random random = new Random(seed);
        boolean wide = seed % 2 == 0;
        PriorityMultiQueue<Object> queue = new PriorityMultiQueue<>();
        Map<Object, PriorityQueue<Ref>> reference = new HashMap<>();
        long seq = 0;
        int total = 0;
        for (int op = 0; op < 10_000; op++) {
            Object channel = TestChannels.ALL.get(random.nextInt(TestChannels.ALL.size()));
            if (random.nextDouble() < StablePriorityQueueTest.putProbability(op)) {
                double priority = StablePriorityQueueTest.randomPriority(random, wide);
                Object item = random.nextInt(20) == 0 ? null : op;
                queue.put(TestChannels.equalCopy(channel), item, priority);
                reference.computeIfAbsent(channel, c -> new PriorityQueue<>(Ref.ORDER))
                        .add(new Ref(priority, seq++, item));
                total++;
            } else {
                PriorityQueue<Ref> expected = reference.get(channel);
                if (expected == null || expected.isEmpty()) {
                    assertThrows(NoSuchElementException.class, () -> queue.get(channel),
                            "op " + op);
                } else {
                    assertEquals(expected.poll().item(), queue.get(channel), "op " + op);
                    total--;
                }
            }
            for (Object each : TestChannels.ALL) {
                PriorityQueue<Ref> expected = reference.get(each);
                int size = expected == null ? 0 : expected.size();
                assertEquals(size, queue.size(each), "op " + op);
                assertEquals(size == 0, queue.isEmpty(each), "op " + op);
                assertEquals(expected != null, queue.hasChannel(each), "op " + op);
            }
            assertEquals(total, queue.totalSize(), "op " + op);
            assertEquals(reference.keySet(), queue.channels(), "op " + op);
        }
    }
}
