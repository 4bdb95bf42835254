package coproc.worker.pool.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.function.Function;

/**
 * Encodes the functions a pool maps with JDK serialization, which carries serializable lambdas
 * and method references between JVMs with no {@code opens}, and decodes them in the worker.
 */
public final class FunctionCodec {

    private FunctionCodec() {
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
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(function);
        } catch (IOException e) {
            throw new IllegalArgumentException("The function " + function.getClass().getName() + " cannot be"
                    + " serialized: " + e + ". Functions travel to the workers with JDK serialization: use a method"
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
        try (ObjectInputStream in = new ContextObjectInputStream(bytes)) {
            return (Function<Object, Object>) in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            IllegalStateException failure = new IllegalStateException("The worker could not load the function: " + e
                    + ". Is the function's module or class on the worker's module or class path?", e);
            return item -> {
                throw failure;
            };
        }
    }

    /** Resolves classes through the thread's context class loader when the default fails. */
    private static final class ContextObjectInputStream extends ObjectInputStream {

        ContextObjectInputStream(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                return Class.forName(desc.getName(), false, context);
            }
        }
    }
}
