package coproc.examples.serializer;

import coproc.api.spi.Serializer;
import coproc.api.spi.SerializerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provides the {@code tracing} serializer: JDK serialization ({@link ObjectOutputStream} and
 * {@link ObjectInputStream}) that counts the values it handles in this JVM. Payloads must be
 * {@link java.io.Serializable}. A message's channel is a value too, except the default
 * channel, which travels as a flag.
 *
 * <p>The counters are per JVM, shared by every pipe, and safe to read from any thread.
 */
public final class TracingSerializerProvider implements SerializerProvider {

    private static final AtomicLong SERIALIZED = new AtomicLong();
    private static final AtomicLong DESERIALIZED = new AtomicLong();

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public TracingSerializerProvider() {
    }

    /**
     * Returns how many values the {@code tracing} serializer has serialized in this JVM.
     *
     * @return the count
     */
    public static long serializedCount() {
        return SERIALIZED.get();
    }

    /**
     * Returns how many values the {@code tracing} serializer has deserialized in this JVM.
     *
     * @return the count
     */
    public static long deserializedCount() {
        return DESERIALIZED.get();
    }

    @Override
    public String name() {
        return "tracing";
    }

    @Override
    public Serializer create() {
        return new Serializer() {
            @Override
            public void serialize(Object value, OutputStream out) throws IOException {
                ObjectOutputStream objects = new ObjectOutputStream(out);
                objects.writeObject(value);
                objects.flush(); // not close(): the messenger owns the stream
                SERIALIZED.incrementAndGet();
            }

            @Override
            public Object deserialize(InputStream in) throws IOException {
                try {
                    Object value = new ObjectInputStream(in).readObject();
                    DESERIALIZED.incrementAndGet();
                    return value;
                } catch (ClassNotFoundException e) {
                    throw new IOException("class " + e.getMessage() + " is not present in this JVM", e);
                }
            }
        };
    }
}
