/**
 * The messengers of coproc: {@link coproc.messenger.PriorityMessenger} and
 * {@link coproc.messenger.MultiMessenger}, each on one end of a length-framed duplex pipe,
 * with the built-in serializers {@code kryo} (the default) and {@code java}.
 *
 * <p>Serializers are found with {@link java.util.ServiceLoader} and chosen by name; a module
 * adds its own with {@code provides coproc.api.spi.SerializerProvider with ...}. Classes and
 * Kryo serializers are registered with the Kryo serializer through
 * {@link coproc.messenger.kryo.KryoCustomizer}.
 *
 * @uses coproc.api.spi.SerializerProvider
 * @uses coproc.messenger.kryo.KryoCustomizer
 * @provides coproc.api.spi.SerializerProvider the {@code kryo} and {@code java} serializers
 */
@SuppressWarnings("module") // coproc.worker, to which one package is exported, is built after this module
module coproc.messenger {
    requires transitive coproc.api;
    requires coproc.queue;
    requires transitive com.esotericsoftware.kryo;
    // Without it Kryo silently stops using sun.misc.Unsafe on the module path.
    requires jdk.unsupported;

    exports coproc.messenger;
    exports coproc.messenger.kryo;
    // The pipe, the provider registry and the messenger bridge, for coproc's worker module
    // only: what a worker's start needs, kept out of the public API.
    exports coproc.messenger.internal to coproc.worker;

    uses coproc.api.spi.SerializerProvider;
    uses coproc.messenger.kryo.KryoCustomizer;

    provides coproc.api.spi.SerializerProvider with
            coproc.messenger.internal.KryoSerializerProvider,
            coproc.messenger.internal.JavaSerializerProvider;
}
