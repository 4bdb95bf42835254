package coproc.worker.pool.internal;

import coproc.api.spi.NamedProvider;
import coproc.api.spi.SerializerProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Encodes the functions a pool maps, and decodes them in the worker, with coproc's {@code java}
 * serializer (JDK serialization, found through the serializer SPI), which carries serializable
 * lambdas and method references between JVMs with no {@code opens}, whatever serializer the
 * pool's items use.
 */
public final class FunctionCodec {

    private FunctionCodec() {
    }

    /** The {@code java} serializer's provider, looked up on first use. */
    private static final class Java {
        static final SerializerProvider PROVIDER = NamedProvider.select(
                ServiceLoader.load(SerializerProvider.class, FunctionCodec.class.getClassLoader()),
                SerializerProvider.class, "java");
    }

    /**
     * Encodes a function.
     *
     * @param function a serializable function
     * @return its bytes
     * @throws IllegalArgumentException if it cannot be serialized; the message names the value
     *     that is not serializable and the fix
     */
    public static byte[] encode(Function<?, ?> function) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Java.PROVIDER.create().serialize(function, bytes);
        } catch (IOException | RuntimeException e) {
            String why = e.getCause() instanceof NotSerializableException missing
                    ? missing.getMessage() + " is not Serializable" : e.getMessage();
            throw new IllegalArgumentException("The function " + function.getClass().getName() + " cannot be"
                    + " serialized: " + why + ". Functions travel to the workers with JDK serialization: use a method"
                    + " reference, or a lambda that captures only serializable values", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a function; one that does not decode becomes a function that throws why, so
     * that each item mapped with it fails with the reason.
     *
     * @param bytes what {@link #encode} made
     * @return the function
     */
    @SuppressWarnings("unchecked")
    public static Function<Object, Object> decode(byte[] bytes) {
        try {
            return (Function<Object, Object>) Java.PROVIDER.create().deserialize(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException | LinkageError e) {
            IllegalStateException failure = new IllegalStateException("The worker could not load the function: " + e
                    + ". Is the function's module or class on the worker's module or class path?", e);
            return item -> {
                throw failure;
            };
        }
    }
}
