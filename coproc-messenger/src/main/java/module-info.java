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
 * <p>A frame that cannot be read is dropped and logged through {@link java.lang.System.Logger}
 * as {@code coproc.messenger} at WARNING; a pipe that a failure ends is logged at DEBUG. Both
 * are also JDK Flight Recorder events, {@code coproc.FrameDropped} and {@code coproc.PipeFailed};
 * nothing is logged or recorded per message.
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
    // Dropped frames and failed pipes as JDK Flight Recorder events (PipeEvents).
    requires jdk.jfr;

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
