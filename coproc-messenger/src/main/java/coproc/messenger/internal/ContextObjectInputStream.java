package coproc.messenger.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;

/**
 * An {@link ObjectInputStream} that resolves a class through the thread's context class
 * loader when the default resolution fails: for classes of the application that coproc's own
 * class loader cannot see (a user's class loader, say).
 */
public final class ContextObjectInputStream extends ObjectInputStream {

    /**
     * Reads objects from a stream.
     *
     * @param in the stream
     * @throws IOException if the stream header cannot be read
     */
    public ContextObjectInputStream(InputStream in) throws IOException {
        super(in);
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
