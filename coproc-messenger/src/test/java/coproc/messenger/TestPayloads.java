package coproc.messenger;

import coproc.api.Prioritized;
import java.io.Serializable;
import java.util.List;

/**
 * Payloads and channels the tests send: public records in an exported package, which the
 * {@code kryo} serializer carries with no {@code opens}, and which are {@link Serializable} for
 * the {@code java} serializer.
 */
public final class TestPayloads {

    private TestPayloads() {
    }

    /** The seed document's warning: priority 0, received before a {@link DataMessage}. */
    public record WarningMessage(String message, double priority) implements Prioritized, Serializable {
        private static final long serialVersionUID = 1L;

        /** A warning at the seed's priority, 0. */
        public WarningMessage(String message) {
            this(message, 0);
        }
    }

    /** The seed document's data message: priority 1. */
    public record DataMessage(int data, double priority) implements Prioritized, Serializable {
        private static final long serialVersionUID = 1L;

        /** A data message at the seed's priority, 1. */
        public DataMessage(int data) {
            this(data, 1);
        }
    }

    /** The seed document's channels. */
    public enum Channels {
        DATA, WARNING
    }

    /** A record used as a channel: equal by value. */
    public record ChannelKey(String name, int number) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** One message of the volume test: who sent it, its sequence number, its priority. */
    public record Item(int sender, int sequence, double priority) implements Prioritized, Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** A payload of many shapes, prioritized. */
    public record Sample(String name, int[] values, List<String> tags, double priority)
            implements Prioritized, Serializable {
        private static final long serialVersionUID = 1L;
    }
}
