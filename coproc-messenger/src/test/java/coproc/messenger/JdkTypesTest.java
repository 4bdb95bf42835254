package coproc.messenger;

import static coproc.messenger.SeedMessagingTest.PATIENCE;
import static coproc.messenger.SeedMessagingTest.options;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.Messenger;
import coproc.api.SerializationException;
import coproc.messenger.TestPayloads.Channels;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK types users send travel with the {@code kryo} serializer, as the same type where it
 * can be rebuilt; and what cannot be rebuilt on the other side is refused at send, naming the
 * class and the fix, with nothing sent and nothing lost.
 */
@Timeout(30)
class JdkTypesTest {

    /** A class Kryo cannot build: no no-arg constructor. */
    public static final class Command {
        private final String name;

        /**
         * Makes a command.
         *
         * @param name its name
         */
        public Command(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return "Command " + name;
        }
    }

    private static <T> T roundTrip(Messenger from, Messenger to, Object payload) throws Exception {
        from.sendNoRequest(payload);
        return to.receiveBlocking(PATIENCE);
    }

    @Test
    void shouldCarryTheJdkTypesUsersSendAsTheSameType() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            Messenger host = pair.host();
            Messenger worker = pair.worker();
            UUID uuid = UUID.randomUUID();
            assertEquals(uuid, roundTrip(host, worker, uuid));
            EnumMap<Channels, Integer> enumMap = new EnumMap<>(Map.of(Channels.DATA, 1, Channels.WARNING, 2));
            EnumMap<Channels, Integer> gotEnumMap = roundTrip(host, worker, enumMap);
            assertEquals(enumMap, gotEnumMap);
            EnumMap<Channels, Integer> empty = roundTrip(host, worker, new EnumMap<Channels, Integer>(Channels.class));
            empty.put(Channels.DATA, 3); // an empty EnumMap keeps its key type
            assertEquals(Map.of(Channels.DATA, 3), empty);
            assertEquals(Map.entry("k", 1), roundTrip(host, worker, Map.entry("k", 1)));
            assertEquals(new AbstractMap.SimpleEntry<>("k", 2), roundTrip(host, worker,
                    new AbstractMap.SimpleEntry<>("k", 2)));
            assertEquals(Path.of("/tmp/some/file.txt"), roundTrip(host, worker, Path.of("/tmp/some/file.txt")));
            assertEquals(42L, ((AtomicLong) roundTrip(host, worker, new AtomicLong(42))).get());
        }
    }

    @Test
    void shouldKeepWrappersWrappedAndCarrySubListsAsLists() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            Messenger host = pair.host();
            Messenger worker = pair.worker();
            List<Object> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of(1, 2)));
            List<Object> got = roundTrip(host, worker, unmodifiable);
            assertEquals(unmodifiable, got);
            assertSame(unmodifiable.getClass(), got.getClass());
            assertThrows(UnsupportedOperationException.class, () -> got.add(3));

            var sorted = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("b", 2, "a", 1)));
            var gotSorted = roundTrip(host, worker, sorted);
            assertEquals(sorted, gotSorted);
            assertSame(sorted.getClass(), gotSorted.getClass());

            var set = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("x", "y")));
            assertSame(set.getClass(), roundTrip(host, worker, set).getClass());
            var synchronizedList = Collections.synchronizedList(new LinkedList<>(List.of(1)));
            List<Object> gotSynchronized = roundTrip(host, worker, synchronizedList);
            assertEquals(synchronizedList, gotSynchronized);
            assertSame(synchronizedList.getClass(), gotSynchronized.getClass());
            var map = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of("k", List.of(1))));
            assertEquals(map, roundTrip(host, worker, map));

            List<Object> subList = new ArrayList<Object>(List.of(1, 2, 3, 4)).subList(1, 3);
            List<Object> gotSubList = roundTrip(host, worker, subList);
            assertEquals(List.of(2, 3), gotSubList);
            assertSame(ArrayList.class, gotSubList.getClass(), "a view travels as a list of its own");
        }
    }

    @Test
    void shouldRefuseAtSendAClassKryoCannotBuildOnTheOtherSide() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(new Command("go")));
            assertThat(e.getMessage(), allOf(containsString(Command.class.getName()),
                    containsString("no no-arg constructor"), containsString("make the class a record"),
                    containsString("KryoCustomizer")));
            assertEquals(0, pair.host().messagesSent(null), "nothing was sent");
            SerializationException again = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(List.of(new Command("inside a list"))));
            assertThat(again.getMessage(), containsString(Command.class.getName()));

            pair.host().sendNoRequest("next");
            assertEquals("next", pair.worker().receiveBlocking(PATIENCE), "nothing lost, nothing extra");
        }
    }

    @Test
    void shouldRefuseALambdaInAPayloadAtSend() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            TreeSet<String> byLength = new TreeSet<>((a, b) -> Integer.compare(a.length(), b.length()));
            byLength.add("abc");

            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(byLength));
            assertThat(e.getMessage(), allOf(containsString("lambda"), containsString("Comparator")));
            pair.host().sendNoRequest("next");
            assertEquals("next", pair.worker().receiveBlocking(PATIENCE));
        }
    }

    @Test
    void shouldAdviseAddOpensForAJdkClassAndNotRepeatItself() throws Exception {
        try (var pair = PriorityMessenger.newPair(options("kryo"))) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> pair.host().sendNoRequest(Thread.currentThread()));
            assertThat(e.getMessage(), allOf(containsString("java.lang.Thread"),
                    containsString("--add-opens java.base/java.lang=")));
            assertThat(e.getMessage(), org.hamcrest.Matchers.not(containsString("module-info")));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                assertThat("no cause repeats the message", e.getMessage(),
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.equalTo(cause.getMessage())));
            }
            pair.host().sendNoRequest("next");
            assertEquals("next", pair.worker().receiveBlocking(PATIENCE));
        }
    }
}
