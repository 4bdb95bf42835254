/**
 * Worker processes for coproc: {@link coproc.worker.WorkerResource} starts a worker running a
 * {@link coproc.api.WorkerTarget} and gives the host a messenger to it; and
 * {@link coproc.worker.monitor.Monitor}, a worker that samples the memory and CPU of the host
 * and its workers over time, takes notes, and writes them as CSV, as a figure and as JFR
 * events.
 *
 * <p>Launchers are found with {@link java.util.ServiceLoader} and chosen by name: {@code jvm}
 * (the default) starts a new JVM with the host's module path and class path; {@code thread}
 * runs the worker on a thread of the host JVM, over the same kind of pipe; {@code ssh} starts
 * worker JVMs on other machines through the system {@code ssh} (see
 * {@link coproc.worker.SshOptions}); {@code slurm} has {@code srun} place them on a cluster's
 * nodes, and they connect back over TCP with TLS 1.3 (see {@link coproc.worker.SlurmOptions}).
 *
 * <p>Worker JVMs use application class data sharing by default (see
 * {@link coproc.worker.WorkerOptions#withClassDataSharing}); what it does is logged through
 * {@link java.lang.System.Logger} as {@code coproc.worker.cds}, at DEBUG.
 *
 * <p>The life of each worker is logged as {@code coproc.worker}: its start and its end at
 * DEBUG, a {@code SIGTERM} of the stop ladder at INFO, a {@code SIGKILL} and a worker that died
 * on its own at WARNING; so a program whose workers start and end as it asks logs nothing at
 * INFO. It is also recorded as JDK Flight Recorder events: {@code coproc.WorkerStarted},
 * {@code coproc.WorkerStopStep}, {@code coproc.WorkerEnded} and {@code coproc.WorkerDied}.
 *
 * <p>Many workers at once, in {@link coproc.worker.pool}: {@link coproc.worker.pool.WorkerPool}
 * maps functions over items with persistent workers, {@link coproc.worker.pool.OneShotMap}
 * starts workers for one map, and {@link coproc.worker.pool.WorkerResourcePool} is a group of
 * workers of one target.
 *
 * @uses coproc.api.spi.LauncherProvider
 * @uses coproc.api.spi.SerializerProvider the {@code java} serializer, for the pools' functions
 * @provides coproc.api.spi.LauncherProvider the {@code jvm}, {@code slurm}, {@code ssh} and {@code thread} launchers
 * @provides coproc.messenger.kryo.KryoCustomizer registers the pools' messages with Kryo
 */
module coproc.worker {
    requires transitive coproc.messenger;
    // To start worker JVMs with the host's module options (--patch-module, --add-opens, ...).
    requires java.management;
    // The worker lifecycle (WorkerEvents) and the Monitor's samples and notes are JFR events.
    requires jdk.jfr;
    // Optional, for the Monitor's figures only: ChartDrawing is the only class that uses them,
    // and it is loaded only once Figures has found them (else an error names the dependency).
    requires static org.jfree.jfreechart;
    requires static java.desktop;

    exports coproc.worker;
    exports coproc.worker.pool;
    exports coproc.worker.monitor;

    uses coproc.api.spi.LauncherProvider;
    // The pools send their functions with the 'java' serializer, whatever their items use.
    uses coproc.api.spi.SerializerProvider;

    provides coproc.api.spi.LauncherProvider with
            coproc.worker.internal.JvmLauncherProvider,
            coproc.worker.internal.SlurmLauncherProvider,
            coproc.worker.internal.SshLauncherProvider,
            coproc.worker.internal.ThreadLauncherProvider;
    // The pools' messages, registered with serializers of their own.
    provides coproc.messenger.kryo.KryoCustomizer with coproc.worker.pool.internal.PoolKryo;
}
