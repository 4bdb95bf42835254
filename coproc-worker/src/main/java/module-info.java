/**
 * Worker processes for coproc: {@link coproc.worker.WorkerResource} starts a worker running a
 * {@link coproc.api.WorkerTarget} and gives the host a messenger to it.
 *
 * <p>Launchers are found with {@link java.util.ServiceLoader} and chosen by name: {@code jvm}
 * (the default) starts a new JVM with the host's module path and class path; {@code thread}
 * runs the worker on a thread of the host JVM, over the same kind of pipe.
 *
 * <p>Many workers at once, in {@link coproc.worker.pool}: {@link coproc.worker.pool.WorkerPool}
 * maps functions over items with persistent workers, {@link coproc.worker.pool.OneShotMap}
 * starts workers for one map, and {@link coproc.worker.pool.WorkerResourcePool} is a group of
 * workers of one target.
 *
 * @uses coproc.api.spi.LauncherProvider
 * @uses coproc.api.spi.SerializerProvider the {@code java} serializer, for the pools' functions
 * @provides coproc.api.spi.LauncherProvider the {@code jvm} and {@code thread} launchers
 * @provides coproc.messenger.kryo.KryoCustomizer registers the pools' messages with Kryo
 */
module coproc.worker {
    requires transitive coproc.messenger;
    // To start worker JVMs with the host's module options (--patch-module, --add-opens, ...).
    requires java.management;

    exports coproc.worker;
    exports coproc.worker.pool;

    uses coproc.api.spi.LauncherProvider;
    // The pools send their functions with the 'java' serializer, whatever their items use.
    uses coproc.api.spi.SerializerProvider;

    provides coproc.api.spi.LauncherProvider with
            coproc.worker.internal.JvmLauncherProvider,
            coproc.worker.internal.ThreadLauncherProvider;
    // The pools' messages, registered with serializers of their own.
    provides coproc.messenger.kryo.KryoCustomizer with coproc.worker.pool.internal.PoolKryo;
}
