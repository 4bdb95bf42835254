package coproc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.queue.TestChannels.Color;
import coproc.queue.TestChannels.Route;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiQueueTest {

    @Test
    void shouldReturnItemsOfEachChannelFirstInFirstOut() {
        MultiQueue<Integer> queue = new MultiQueue<>();
        for (int i = 0; i < 100; i++) {
            queue.put(null, i);
            queue.put("odd", 2 * i + 1);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, queue.get(null));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(2 * i + 1, queue.get("odd"));
        }
        assertEquals(0, queue.totalSize());
    }

    @Test
    void shouldReturnEachItemWhenPutAndGetInterleavePerChannel() {
        MultiQueue<String> queue = new MultiQueue<>();
        for (int i = 0; i < 100; i++) {
            for (Object channel : TestChannels.ALL) {
                queue.put(channel, channel + "#" + i);
            }
            for (Object channel : TestChannels.ALL) {
                assertEquals(channel + "#" + i, queue.get(TestChannels.equalCopy(channel)));
                assertTrue(queue.isEmpty(channel));
            }
        }
    }

    @Test
    void shouldKeepChannelsApartByEquality() {
        MultiQueue<String> queue = new MultiQueue<>();
        queue.put(1, "int");
        queue.put(1L, "long");
        queue.put(new Route("h", 1), "route");
        queue.put(Color.RED, "red");
        assertEquals(1, queue.size(1));
        assertEquals(1, queue.size(1L));
        assertEquals("route", queue.get(new Route("h", 1)));
        assertEquals("long", queue.get(1L));
        assertEquals("int", queue.get(1));
        assertEquals("red", queue.get(Color.RED));
    }

    @Test
    void shouldQueueNullItemsOnTheNullChannel() {
        MultiQueue<String> queue = new MultiQueue<>();
        queue.put(null, null);
        queue.put(null, "x");
        assertEquals(2, queue.size(null));
        assertNull(queue.get(null));
        assertEquals("x", queue.get(null));
    }

    @Test
    void shouldNameTheChannelWhenGettingFromAnEmptyChannel() {
        MultiQueue<String> queue = new MultiQueue<>();
        queue.put("jobs", "a");
        queue.get("jobs");
        NoSuchElementException empty =
                assertThrows(NoSuchElementException.class, () -> queue.get("jobs"));
        assertEquals("get(channel) on MultiQueue: channel \"jobs\" (java.lang.String) is empty;"
                + " check isEmpty(channel) or size(channel) before get(channel)",
                empty.getMessage());
        queue.put(1L, "b");
        NoSuchElementException unknown =
                assertThrows(NoSuchElementException.class, () -> queue.get(1));
        assertTrue(unknown.getMessage().contains("channel 1 (java.lang.Integer) has never been"
                + " used"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("1 (java.lang.Long)"), unknown.getMessage());
        assertTrue(assertThrows(NoSuchElementException.class, () -> queue.get(null))
                .getMessage().contains("channel null has never been used"));
    }

    @Test
    void shouldListEveryKnownChannelCommaSeparatedWhenAChannelIsUnknown() {
        MultiQueue<String> queue = new MultiQueue<>();
        queue.put("a", "x");
        queue.put(2, "y");
        queue.put(Color.RED, "z");
        String message = assertThrows(NoSuchElementException.class, () -> queue.get("b")).getMessage();
        assertEquals(Set.of("\"a\" (java.lang.String)", "2 (java.lang.Integer)",
                "RED (coproc.queue.TestChannels$Color)"), Set.of(knownChannels(message).split(", ")), message);
    }

    @Test
    void shouldListTenKnownChannelsAndTheCountWhenThereAreMore() {
        MultiQueue<String> queue = new MultiQueue<>();
        for (int channel = 0; channel < 12; channel++) {
            queue.put(channel, "x");
        }
        String message = assertThrows(NoSuchElementException.class, () -> queue.get("b")).getMessage();
        String known = knownChannels(message);
        assertTrue(known.endsWith(", ... (12 in all)"), message);
        String[] shown = known.substring(0, known.length() - ", ... (12 in all)".length()).split(", ");
        assertEquals(10, shown.length, message);
        assertEquals(10, new HashSet<>(Arrays.asList(shown)).size(), message);
        for (String name : shown) {
            assertTrue(name.matches("\\d+ \\(java.lang.Integer\\)"), message);
        }
    }

    /** The text between "Known channels: [" and "]." of an unknown-channel message. */
    private static String knownChannels(String message) {
        int start = message.indexOf("Known channels: [");
        int end = message.indexOf("]. Check the channel's value and type;");
        assertTrue(start >= 0 && end > start, message);
        return message.substring(start + "Known channels: [".length(), end);
    }

    @Test
    void shouldKnowAChannelFromItsFirstPutOnEvenOnceEmpty() {
        MultiQueue<String> queue = new MultiQueue<>();
        assertFalse(queue.hasChannel(null));
        assertEquals(0, queue.size("never"));
        assertTrue(queue.isEmpty("never"));
        assertThrows(NoSuchElementException.class, () -> queue.get("never"));
        assertFalse(queue.hasChannel("never"), "queries must not create channels");
        queue.put(null, "x");
        queue.put("later", "y");
        assertTrue(queue.hasChannel(null));
        queue.get(null);
        assertTrue(queue.hasChannel(null));
        assertEquals(new HashSet<>(Arrays.asList(null, "later")), queue.channels());
    }

    @Test
    void shouldExposeChannelsAsUnmodifiableLiveView() {
        MultiQueue<String> queue = new MultiQueue<>();
        Set<Object> channels = queue.channels();
        assertTrue(channels.isEmpty());
        queue.put(Color.GREEN, "g");
        assertEquals(Set.of(Color.GREEN), channels);
        assertThrows(UnsupportedOperationException.class, () -> channels.add("x"));
        assertThrows(UnsupportedOperationException.class, () -> channels.remove(Color.GREEN));
        assertThrows(UnsupportedOperationException.class, channels::clear);
    }

    @Test
    void shouldDescribeChannelSizes() {
        MultiQueue<String> queue = new MultiQueue<>();
        assertEquals("MultiQueue[]", queue.toString());
        queue.put(null, "a");
        queue.put(null, "b");
        assertEquals("MultiQueue[null=2]", queue.toString());
        queue.put("jobs", "c");
        queue.get("jobs");
        String text = queue.toString();
        assertTrue(text.startsWith("MultiQueue["), text);
        assertTrue(text.contains("null=2"), text);
        assertTrue(text.contains("\"jobs\"=0"), text);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20240601})
    void shouldMatchReferenceDequesOnRandomOperations(long seed) {
        Random random = new Random(seed);
        MultiQueue<Object> queue = new MultiQueue<>();
        Map<Object, ArrayDeque<Object[]>> reference = new HashMap<>();
        int total = 0;
        for (int op = 0; op < 10_000; op++) {
            Object channel = TestChannels.ALL.get(random.nextInt(TestChannels.ALL.size()));
            if (random.nextDouble() < StablePriorityQueueTest.putProbability(op)) {
                Object item = random.nextInt(20) == 0 ? null : op;
                queue.put(TestChannels.equalCopy(channel), item);
                // ArrayDeque rejects null, so the reference holds each item in a box.
                reference.computeIfAbsent(channel, c -> new ArrayDeque<>())
                        .add(new Object[] {item});
                total++;
            } else {
                ArrayDeque<Object[]> expected = reference.get(channel);
                if (expected == null || expected.isEmpty()) {
                    assertThrows(NoSuchElementException.class, () -> queue.get(channel),
                            "op " + op);
                } else {
                    assertEquals(expected.poll()[0], queue.get(channel), "op " + op);
                    total--;
                }
            }
            for (Object each : TestChannels.ALL) {
                ArrayDeque<Object[]> expected = reference.get(each);
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
