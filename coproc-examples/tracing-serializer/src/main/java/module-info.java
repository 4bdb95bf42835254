/**
 * An example serializer plug-in for coproc: {@code tracing}, JDK serialization that counts
 * how many values it serialized and deserialized in its JVM.
 *
 * <p>A serializer module needs nothing but this: {@code requires coproc.api} and one
 * {@code provides} line (plus a {@code META-INF/services} file, so it also works on the class
 * path). Select it with {@code WorkerOptions.defaults().withSerializer("tracing")}; the host
 * and its workers find it with {@link java.util.ServiceLoader}, so it must be on the module
 * path (or class path) of both, which it is when the host has it.
 *
 * <p>The package is exported only so that programs can read the counters of
 * {@link coproc.examples.serializer.TracingSerializerProvider}; a provider alone needs no
 * {@code exports}.
 *
 * @provides coproc.api.spi.SerializerProvider the {@code tracing} serializer
 */
module coproc.examples.serializer {
    // transitive: the exported provider class implements coproc.api.spi.SerializerProvider
    requires transitive coproc.api;

    exports coproc.examples.serializer;

    provides coproc.api.spi.SerializerProvider with coproc.examples.serializer.TracingSerializerProvider;
}
