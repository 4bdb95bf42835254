package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.options;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.SerializationException;
import coproc.api.Messenger;
import coproc.messenger.TestPayloads.ChannelKey;
import coproc.messenger.TestPayloads.Channels;
import coproc.messenger.TestPayloads.DataMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The payloads users send arrive equal, with both serializers: JDK types, collections
 * (mutable and immutable, which stay immutable), arrays, enums, and public records in an
 * exported package, which the {@code kryo} serializer carries without any {@code opens}.
 */
@Timeout(30)
class PayloadTest {

    private static <T> T roundTrip(Messenger from, Messenger to, Object payload) {
        from.sendNoRequest(payload);
        return to.receiveBlocking();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldCarryCommonPayloadsUnchanged(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            List<Object> payloads = List.of("hello", "héllo wörld ✓", "", 42, -7L, 3.5, true, 'c',
                    new ArrayList<>(List.of(1, 2, 3)), new LinkedList<>(List.of("a", "b")),
                    new HashMap<>(Map.of("k", 1, "l", 2)), new TreeMap<>(Map.of("x", List.of(1), "y", List.of())),
                    new HashSet<>(Set.of(1, 2)), List.of(), List.of("one"), List.of(1, 2, 3, 4, 5),
                    Set.of("s", "t"), Map.of(), Map.of("k", "v"), Map.of(1, List.of("nested"), 2, Map.of("n", 3)),
                    Channels.WARNING, new DataMessage(5, 1), new ChannelKey("key", 9),
                    List.of(new DataMessage(1, 0), new ChannelKey("in a list", 1)), "x".repeat(100_000),
                    EnumSet.of(Channels.DATA), Arrays.asList(1, 2), Collections.singletonList("only"),
                    Collections.emptyList(), new TreeSet<>(List.of("b", "a")),
                    new LinkedHashMap<>(Map.of("z", 1)));
            for (Object payload : payloads) {
                Object received = roundTrip(pair.host(), pair.worker(), payload);
                assertEquals(payload, received, "round trip of " + payload);
                // Collections are equal across types (a LinkedList equals an ArrayList): the class must match too.
                assertEquals(payload.getClass(), received.getClass(), "class after the round trip of " + payload);
            }
            assertNull(roundTrip(pair.host(), pair.worker(), null));
            assertArrayEquals(new byte[] {1, 2, 3}, roundTrip(pair.host(), pair.worker(), new byte[] {1, 2, 3}));
            assertArrayEquals(new int[] {4, 5}, roundTrip(pair.host(), pair.worker(), new int[] {4, 5}));
            assertArrayEquals(new String[] {"a", null},
                    roundTrip(pair.host(), pair.worker(), new String[] {"a", null}));
            assertArrayEquals(new Object[] {1, "two", null},
                    roundTrip(pair.host(), pair.worker(), new Object[] {1, "two", null}));
        }
    }

    @Test
    void shouldCarryTheComparatorOfASortedCollectionWithTheJavaSerializer() {
        try (var pair = PriorityMessenger.newPair(options("java"))) {
            pair.host().sendNoRequest(reversed());
            TreeSet<String> got = pair.worker().receiveBlocking();
            assertEquals(List.of("c", "b", "a"), new ArrayList<>(got), "the comparator came along");
            got.add("d");
            assertEquals("d", got.first(), "the comparator still orders what is added");
        }
    }

    @Test
    void shouldRefuseAtSendASortedCollectionWhoseComparatorKryoCannotCarryAndStayUsable() {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            // Kryo cannot build the JDK's reverse-order comparator on the other side: rather than
            // drop it silently, the send says so, naming the class, and sends nothing.
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(reversed()));
            assertThat(e.getMessage(), containsString("java.util.Collections$ReverseComparator"));
            pair.host().sendNoRequest("next");
            assertEquals("next", pair.worker().receiveBlocking());
        }
    }

    private static TreeSet<String> reversed() {
        TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(List.of("a", "b", "c"));
        return reversed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void shouldKeepImmutableCollectionsImmutableAndMutableOnesMutable(String serializer) {
        try (var pair = PriorityMessenger.newPair(options(serializer))) {
            List<Object> immutable = roundTrip(pair.host(), pair.worker(), List.of(1, 2));
            assertThrows(UnsupportedOperationException.class, () -> immutable.add(3));
            Map<Object, Object> immutableMap = roundTrip(pair.host(), pair.worker(), Map.of("k", "v"));
            assertThrows(UnsupportedOperationException.class, () -> immutableMap.put("l", "w"));
            Set<Object> immutableSet = roundTrip(pair.host(), pair.worker(), Set.of(1));
            assertThrows(UnsupportedOperationException.class, () -> immutableSet.add(2));

            ArrayList<Object> mutable = assertInstanceOf(ArrayList.class,
                    roundTrip(pair.host(), pair.worker(), new ArrayList<>(List.of(1))));
            mutable.add(2);
            assertEquals(List.of(1, 2), mutable);
        }
    }
}
