package coproc.worker.internal;

import coproc.api.WorkerStartException;
import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts workers on spare JVMs: JVMs booted, connected and primed ahead of time for one
 * configuration (JVM, module path, class path, environment, messenger), so that a start only
 * hands over its target. A start whose configuration has spares takes one (waiting for one
 * that boots, if none is idle) and a replacement boots in the background; any other start goes
 * cold, as the {@code jvm} launcher starts it, says why at DEBUG (logger
 * {@value WorkerEvents#LOGGER}), and then has spares of its configuration boot for the starts
 * that follow. At most {@value #MAX_CONFIGURATIONS} configurations keep spares; the least
 * recently started gives way. Spares end when this JVM exits, and by themselves when it dies.
 * Thread-safe.
 */
public final class Spares {

    private static final System.Logger LOG = System.getLogger(WorkerEvents.LOGGER);
    static final int MAX_CONFIGURATIONS = 4;

    /** The pools by configuration, least recently started first; guarded by itself. */
    private static final Map<Configuration, SparePool> POOLS = new LinkedHashMap<>(8, 0.75f, true);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Spares::closeAll, "coproc-spares-shutdown"));
    }

    private Spares() {
    }

    /**
     * Starts a worker on a spare of the start's configuration, or cold if there is none.
     * Blocks as {@link WorkerStart#start} does, for at most its start timeout (twice that if a
     * spare that was booting fails and the start then goes cold).
     *
     * @param start the start: its JVM, messenger, timeouts and output sinks
     * @param target the encoded target and start argument
     * @param targetObject the target, whose classes the spares that boot from now on load ahead
     * @param count how many spares to keep for this configuration
     * @param idleTime how long a spare may stay idle before it is retired
     * @return the started worker
     * @throws WorkerStartException if the worker does not come up, as {@link WorkerStart#start}
     */
    public static LiveWorkers.Started start(WorkerStart start, byte[] target, Object targetObject, int count,
            Duration idleTime) {
        long startNanos = System.nanoTime();
        long deadline = startNanos + start.startTimeout().toNanos();
        Configuration configuration = Configuration.of(start);
        SparePool pool;
        String cold = null;
        List<SparePool> evicted = new ArrayList<>();
        synchronized (POOLS) {
            pool = POOLS.get(configuration);
            if (pool == null) {
                cold = difference(configuration, POOLS.keySet());
                pool = new SparePool(start);
                POOLS.put(configuration, pool);
                var oldest = POOLS.values().iterator();
                while (POOLS.size() > MAX_CONFIGURATIONS) {
                    evicted.add(oldest.next());
                    oldest.remove();
                }
            }
        }
        evicted.forEach(SparePool::close);
        pool.noteTarget(targetObject);
        pool.want(count, idleTime);
        if (cold == null) {
            SpareJvm spare;
            while ((spare = pool.take(deadline)) != null) {
                try {
                    spare.handOver(target, start.stdout(), start.stderr());
                } catch (IOException gone) {
                    SpareJvm lost = spare;
                    LOG.log(Level.DEBUG, () -> "The " + lost + " ended as it was taken; trying another");
                    continue;
                }
                return start.go(spare.connected(), deadline, startNanos);
            }
            cold = "no spare was ready in time";
        }
        String why = cold;
        LOG.log(Level.DEBUG, () -> "Starting a worker JVM cold: " + why);
        LiveWorkers.Started started = start.start(target);
        pool.startedCold();
        return started;
    }

    /** Why a configuration has no spares: new, or unlike the most recent configuration with spares. */
    private static String difference(Configuration wanted, Iterable<Configuration> known) {
        Configuration latest = null;
        for (Configuration other : known) {
            latest = other;
        }
        if (latest == null) {
            return "the first start with spares; they boot now for the starts that follow";
        }
        List<String> differences = new ArrayList<>();
        LaunchSpec.Jvm ours = wanted.jvm();
        LaunchSpec.Jvm theirs = latest.jvm();
        compare(differences, "JVM options", ours.options(), theirs.options());
        compare(differences, "module path", ours.modulePath(), theirs.modulePath());
        compare(differences, "class path", ours.classPath(), theirs.classPath());
        compare(differences, "java", ours.java(), theirs.java());
        compare(differences, "environment", ours.environment(), theirs.environment());
        compare(differences, "working directory", ours.workingDirectory(), theirs.workingDirectory());
        compare(differences, "command prefix", ours.commandPrefix(), theirs.commandPrefix());
        compare(differences, "class data sharing directory", ours.classDataSharing(), theirs.classDataSharing());
        compare(differences, "messenger kind", wanted.kind(), latest.kind());
        compare(differences, "serializer", wanted.serializer(), latest.serializer());
        compare(differences, "frame limit", wanted.maxFrameLength(), latest.maxFrameLength());
        return "no spares have this configuration (" + String.join("; ", differences)
                + "); spares of it boot now for the starts that follow";
    }

    private static void compare(List<String> differences, String what, Object ours, Object theirs) {
        if (!Objects.equals(ours, theirs)) {
            differences.add(what + " " + ours + " where the latest spares have " + theirs);
        }
    }

    /** Retires every spare; at host exit, and package access for tests. */
    static void closeAll() {
        List<SparePool> pools;
        synchronized (POOLS) {
            pools = new ArrayList<>(POOLS.values());
            POOLS.clear();
        }
        pools.forEach(SparePool::close);
    }

    /** Package access for tests: the pids of every idle spare. */
    static List<Long> idlePids() {
        List<SparePool> pools;
        synchronized (POOLS) {
            pools = new ArrayList<>(POOLS.values());
        }
        List<Long> pids = new ArrayList<>();
        pools.forEach(pool -> pids.addAll(pool.idlePids()));
        return pids;
    }

    /**
     * What a spare must share with a start to serve it.
     *
     * @param jvm how the JVM is started: java, options, paths, environment, directory, prefix
     * @param kind the messenger kind
     * @param serializer the serializer name
     * @param maxFrameLength the frame limit
     */
    private record Configuration(LaunchSpec.Jvm jvm, MessengerKind kind, String serializer, int maxFrameLength) {

        static Configuration of(WorkerStart start) {
            return new Configuration(start.jvm(), start.kind(), start.messenger().serializer(),
                    start.messenger().maxFrameLength());
        }
    }
}
