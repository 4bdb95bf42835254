package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The spare JVMs of one configuration: keeps up to the wanted number of them booted (idle
 * and booting together), gives them to starts first booted first, boots a replacement for each
 * one taken or dead, and retires each one that stays idle for the idle time. After a spare
 * failed to boot it boots none until a start of its configuration has succeeded cold, so that
 * a configuration that cannot start costs one JVM per start, not two. Thread-safe.
 */
final class SparePool {

    private static final System.Logger LOG = System.getLogger(WorkerEvents.LOGGER);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Daemons.factory("coproc-spare-timer"));

    private final WorkerStart configuration;
    /** Guards every field below; held only briefly, never while a JVM boots. */
    private final Object lock = new Object();
    /** The spares ready to be taken, first booted first. */
    private final Deque<SpareJvm> idle = new ArrayDeque<>();
    private int booting;
    private int wanted;
    private Duration idleTime = Duration.ofSeconds(60);
    private boolean broken;
    private boolean closed;

    /**
     * Makes an empty pool; it boots spares once a start of its configuration has succeeded.
     *
     * @param configuration a start of this configuration: its JVM, messenger and timeouts
     */
    SparePool(WorkerStart configuration) {
        this.configuration = configuration;
    }

    /**
     * Sets how many spares to keep and how long one may stay idle, from the latest start.
     *
     * @param count the number of spares, idle and booting
     * @param idle how long a spare may wait for a start before it is retired
     */
    void want(int count, Duration idle) {
        synchronized (lock) {
            wanted = count;
            idleTime = idle;
        }
    }

    /**
     * Takes a spare: one that is idle, or else the first of those booting once it has
     * connected; boots a replacement. Blocks while spares boot, until the deadline.
     *
     * @param deadline the {@link System#nanoTime()} to give up at
     * @return a live spare, or {@code null} if there is none (the start then goes cold)
     */
    SpareJvm take(long deadline) {
        synchronized (lock) {
            try {
                while (true) {
                    SpareJvm spare = idle.pollFirst();
                    if (spare != null && spare.process().isAlive()) {
                        return spare;
                    } else if (spare == null) {
                        long left = deadline - System.nanoTime();
                        if (booting == 0 || closed || left <= 0) {
                            return null;
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                replenish();
            }
        }
    }

    /** A start of this configuration succeeded cold: boot spares again if a boot failed. */
    void startedCold() {
        synchronized (lock) {
            broken = false;
            replenish();
        }
    }

    /** Retires every idle spare, and those still booting once they connect; boots no more. */
    void close() {
        List<SpareJvm> retired;
        synchronized (lock) {
            closed = true;
            retired = new ArrayList<>(idle);
            idle.clear();
            lock.notifyAll();
        }
        retired.forEach(spare -> spare.retire(Duration.ZERO));
    }

    /** Package access for tests: the pids of the idle spares. */
    List<Long> idlePids() {
        synchronized (lock) {
            return idle.stream().map(spare -> spare.process().pid().orElse(-1)).toList();
        }
    }

    /** Boots spares until there are as many as wanted; the caller holds the lock. */
    private void replenish() {
        while (!closed && !broken && idle.size() + booting < wanted) {
            booting++;
            Daemons.start("coproc-spare-boot", this::bootOne);
        }
    }

    private void bootOne() {
        SpareJvm spare;
        try {
            spare = SpareJvm.boot(configuration);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "A spare worker JVM did not come up; no more spares boot for this"
                    + " configuration until a start of it succeeds: " + e.getMessage());
            synchronized (lock) {
                booting--;
                broken = true;
                lock.notifyAll();
            }
            return;
        }
        boolean keep;
        Duration idleFor;
        synchronized (lock) {
            booting--;
            keep = !closed;
            idleFor = idleTime;
            if (keep) {
                idle.addLast(spare);
                lock.notifyAll();
            }
        }
        if (!keep) {
            spare.retire(Duration.ZERO);
            return;
        }
        LOG.log(Level.DEBUG, () -> "A spare worker JVM is ready: " + spare);
        spare.process().onExit().thenRun(() -> died(spare));
        TIMER.schedule(() -> retireIdle(spare), idleFor.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A spare has ended: if it was idle, a replacement boots. */
    private void died(SpareJvm spare) {
        synchronized (lock) {
            if (idle.remove(spare)) {
                LOG.log(Level.DEBUG, () -> "An idle " + spare + " ended; a replacement boots");
                replenish();
            }
        }
    }

    /** A spare's idle time is up: if it is still idle, it is retired. */
    private void retireIdle(SpareJvm spare) {
        synchronized (lock) {
            if (!idle.remove(spare)) {
                return;
            }
        }
        LOG.log(Level.DEBUG, () -> "Retiring " + spare + ": idle for its idle time");
        spare.retire(configuration.stopTimeout());
    }
}
