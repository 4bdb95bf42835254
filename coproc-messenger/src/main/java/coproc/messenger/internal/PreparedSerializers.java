package coproc.messenger.internal;

import coproc.api.spi.Serializer;
import coproc.api.spi.SerializerProvider;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Serializers made ahead of time for the next pipe this JVM opens with a serializer name, so
 * that a new JVM makes them on one thread while it connects on another: in a JVM that has
 * just started, the first Kryo takes milliseconds (its classes are initialised, and all code
 * still runs interpreted). Thread-safe.
 */
public final class PreparedSerializers {

    /** The tasks that make the next pipe's serializers, by serializer name. */
    private static final Map<String, FutureTask<Serializer[]>> PREPARED = new ConcurrentHashMap<>();

    private PreparedSerializers() {
    }

    /**
     * Registers the making of the writer and reader of the next pipe opened with the named
     * serializer, and returns the task that makes them, to run once, on any thread. A pipe
     * that opens before the task has started runs it itself; one that opens while it runs
     * waits for it; if it fails, the pipe makes its own (and fails with the cause only if that
     * fails too). Preparing again replaces what was prepared. The task throws nothing.
     *
     * @param serializer the serializer name
     * @return the task
     * @throws NullPointerException if the name is {@code null}
     */
    public static Runnable prepare(String serializer) {
        Objects.requireNonNull(serializer, "serializer");
        FutureTask<Serializer[]> making = new FutureTask<>(() -> make(ProviderRegistry.SERIALIZERS.named(serializer))) {
            @Override
            protected void setException(Throwable failure) {
                PREPARED.remove(serializer, this); // no pipe is to wait for it (the name may not even exist)
                super.setException(failure);
            }
        };
        PREPARED.put(serializer, making);
        return making;
    }

    /**
     * Takes the serializers prepared for a new pipe, made here if their task has not started,
     * or makes new ones.
     *
     * @param name the serializer name
     * @return the writer and the reader
     */
    static Serializer[] take(String name) {
        FutureTask<Serializer[]> prepared = PREPARED.remove(name);
        Throwable failed = null;
        if (prepared != null) {
            prepared.run(); // does nothing if it has run or is running
            try {
                return prepared.get();
            } catch (ExecutionException e) {
                failed = e.getCause(); // made again below, to fail here
            } catch (CancellationException e) {
                failed = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return make(ProviderRegistry.SERIALIZERS.named(name));
        } catch (RuntimeException | Error e) {
            if (failed != null && failed != e) {
                e.addSuppressed(failed); // the first failure may say more (an initialiser's cause, say)
            }
            throw e;
        }
    }

    private static Serializer[] make(SerializerProvider provider) {
        return new Serializer[] {provider.create(), provider.create()};
    }

    /** Package access for tests: the task registered for a name, or {@code null}. */
    static FutureTask<Serializer[]> registered(String name) {
        return PREPARED.get(name);
    }

    /** Package access for tests: registers a task of the test's making in place of what was prepared. */
    static void register(String name, FutureTask<Serializer[]> task) {
        PREPARED.put(name, task);
    }

    /** Package access for tests: forgets what was prepared and no pipe took. */
    static void forget() {
        PREPARED.clear();
    }
}
