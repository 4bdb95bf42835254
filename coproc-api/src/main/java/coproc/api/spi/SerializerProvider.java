package coproc.api.spi;

/**
 * Makes {@link Serializer}s: the service a module provides to add a serializer that users
 * choose by {@link #name()}.
 *
 * <p>The provider is found with {@link java.util.ServiceLoader} in the host and in every
 * worker, so both sides of a pipe must have the module. Implementations need a public
 * no-argument constructor and must be thread-safe.
 */
public interface SerializerProvider extends NamedProvider {

    /**
     * Makes a serializer for one direction of one pipe.
     *
     * @return a new serializer, used by one thread at a time
     */
    Serializer create();
}
