package coproc.messenger.kryo;

import com.esotericsoftware.kryo.Kryo;

/**
 * Registers classes or serializers with every {@link Kryo} instance the {@code kryo}
 * serializer makes, in the host and in every worker.
 *
 * <p>Found with {@link java.util.ServiceLoader}: a module declares
 * {@code provides coproc.messenger.kryo.KryoCustomizer with com.example.MyCustomizer;} (and a
 * {@code META-INF/services} file for the class path). Both sides of a pipe must see the same
 * customizers, which they do when they run with the same module path, as coproc's workers do;
 * customizers are applied in the order of their class names, so registration ids agree.
 *
 * <p>Registering the classes you send saves writing their names in every message.
 * Implementations need a public no-argument constructor, must be stateless, and must make the
 * same registrations every time.
 */
public interface KryoCustomizer {

    /**
     * Registers classes or serializers.
     *
     * @param kryo a new instance, before its first use
     */
    void customize(Kryo kryo);
}
