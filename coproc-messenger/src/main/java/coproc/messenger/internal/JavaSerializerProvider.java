package coproc.messenger.internal;

import coproc.api.spi.Serializer;
import coproc.api.spi.SerializerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * Provides the {@code java} serializer: JDK serialization, for payloads that are
 * {@link java.io.Serializable} but that Kryo cannot handle (cyclic graphs, custom
 * {@code writeObject} logic). Decoding is bounded by an {@link ObjectInputFilter}.
 */
public final class JavaSerializerProvider implements SerializerProvider {

    /** The name users select this serializer by. */
    public static final String NAME = "java";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JavaSerializerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Serializer create() {
        return new JavaSerializer();
    }

    private static final class JavaSerializer implements Serializer {

        @Override
        public void serialize(Object value, OutputStream out) throws IOException {
            ObjectOutputStream objects = new ObjectOutputStream(out);
            try {
                objects.writeObject(value);
            } catch (NotSerializableException e) {
                throw new IllegalArgumentException("the 'java' serializer cannot serialize " + e.getMessage()
                        + ": it does not implement java.io.Serializable. Implement Serializable, or use the 'kryo'"
                        + " serializer", e);
            }
            objects.flush();
        }

        @Override
        public Object deserialize(InputStream in) throws IOException {
            int length = in.available();
            ObjectInputStream objects = new ContextObjectInputStream(in);
            objects.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    "maxdepth=256;maxrefs=1000000;maxarray=" + Math.max(length, 16) + ";maxbytes=" + length));
            try {
                return objects.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException("class " + e.getMessage() + " is not present on this side", e);
            }
        }
    }
}
