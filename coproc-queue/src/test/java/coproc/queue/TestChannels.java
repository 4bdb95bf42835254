package coproc.queue;

import java.util.Arrays;
import java.util.List;

/** Channels of every kind the design allows: null, strings, integers, an enum, a record. */
final class TestChannels {

    enum Color { RED, GREEN }

    record Route(String host, int port) {}

    /** Distinct channels; note Integer 1 and Long 1 are different channels. */
    static final List<Object> ALL = Arrays.asList(
            null, "a", "b", "", 1, 2, 1L, Color.RED, Color.GREEN,
            new Route("h", 1), new Route("h", 2));

    private TestChannels() {
    }

    /** An equal but not identical copy, to show lookup is by equality. */
    static Object equalCopy(Object channel) {
        if (channel instanceof String text) {
            return new String(text);
        }
        if (channel instanceof Route route) {
            return new Route(new String(route.host()), route.port());
        }
        return channel;
    }
}
