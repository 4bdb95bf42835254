package coproc.examples;

import coproc.api.Messenger;
import coproc.examples.serializer.TracingSerializerProvider;
import coproc.worker.WorkerOptions;
import coproc.worker.WorkerResource;
import java.io.Serializable;
import java.util.List;

/**
 * <b>A custom serializer.</b> Serializers are plug-ins chosen by name. The module
 * {@code coproc.examples.serializer} provides one named {@code tracing}: JDK serialization
 * that counts the values it serializes and deserializes in its JVM. The host selects it with
 * {@link WorkerOptions#withSerializer(String)}, the worker finds the same plug-in, and the
 * counters of both JVMs show that both used it. The counts include the messages with which
 * coproc starts a worker, and the channel of each message sent on a channel other than the
 * default.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.CustomSerializer}.
 */
public final class CustomSerializer {

    private CustomSerializer() {
    }

    /**
     * What the {@code tracing} serializer has done in one JVM.
     *
     * @param pid the JVM's process id
     * @param serialized the values it serialized
     * @param deserialized the values it deserialized
     */
    public record Counts(long pid, long serialized, long deserialized) implements Serializable {

        /**
         * Reads the counters of this JVM.
         *
         * @return the counts now
         */
        public static Counts here() {
            return new Counts(ProcessHandle.current().pid(), TracingSerializerProvider.serializedCount(),
                    TracingSerializerProvider.deserializedCount());
        }

        @Override
        public String toString() {
            return "process " + pid + " serialized " + serialized + " and deserialized " + deserialized + " values";
        }
    }

    /**
     * A reply: the text in upper case, and the worker's counts when it replied.
     *
     * @param text the text
     * @param counts the worker's counts
     */
    public record Echo(String text, Counts counts) implements Serializable {
    }

    /**
     * The worker's main loop: replies to each text with an {@link Echo}.
     *
     * @param messenger the worker's end of the pipe
     * @param unused no start argument
     */
    public static void shoutingEchoProcess(Messenger messenger, Void unused) {
        while (true) {
            String text = messenger.receiveBlocking();
            messenger.sendReply(new Echo(text.toUpperCase(), Counts.here()));
        }
    }

    /**
     * Exchanges three messages with the {@code tracing} serializer and prints the counts of
     * both JVMs.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        WorkerOptions options = WorkerOptions.defaults().withSerializer("tracing");
        try (var w = new WorkerResource<>(CustomSerializer::shoutingEchoProcess, options).start()) {
            w.messenger().sendRequestMultiple(List.of("hello", "tracing", "serializer"));
            Echo last = null;
            for (Echo echo : w.messenger().<Echo>receiveRemaining()) {
                System.out.println(echo.text());
                last = echo;
            }
            System.out.println("worker, at its last reply: " + last.counts());
            System.out.println("host, now: " + Counts.here());
        }
    }
}
