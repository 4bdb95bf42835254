package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The spare JVMs of one configuration: keeps up to the wanted number of them booted (idle
 * and booting together), gives them to starts first booted first, boots a replacement for each
 * one taken (after {@link #REPLACEMENT_DELAY}) or dead, and retires each one that stays idle for
 * the idle time. A spare that connects while a start waits for a spare is not primed, since
 * a start is about to take it; any other is told to prime itself while it waits
 * ({@link SpareJvm#prime}). After a spare
 * failed to boot it boots none until a start of its configuration has succeeded cold, so that
 * a configuration that cannot start costs one JVM per start, not two. Thread-safe.
 */
final class SparePool {

    private static final System.Logger LOG = System.getLogger(WorkerEvents.LOGGER);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Daemons.factory("coproc-spare-timer"));

    /**
     * How long the replacement of a taken spare waits before it boots: a booting JVM keeps the
     * CPUs of a small machine busy for a while, and the start that took the spare, with its first
     * replies, comes first. A start that finds no idle spare boots the waiting ones at once.
     */
    static final Duration REPLACEMENT_DELAY = Duration.ofMillis(200);
    /** {@link #REPLACEMENT_DELAY}, but for tests. */
    private static volatile Duration replacementDelay = REPLACEMENT_DELAY;

    private final WorkerStart configuration;
    /** Guards every field below; held only briefly, never while a JVM boots. */
    private final Object lock = new Object();
    /** The spares ready to be taken, first booted first. */
    private final Deque<SpareJvm> idle = new ArrayDeque<>();
    /** Spares booting or waiting for the replacement delay. */
    private int booting;
    /** Of those, the ones waiting for the replacement delay. */
    private int delayed;
    private int wanted;
    /** Starts waiting in {@link #take} for a spare to boot. */
    private int takers;
    /** Spares that connected for waiting starts, on their way to them unprimed; at most {@link #takers}. */
    private int promised;
    private Duration idleTime = Duration.ofSeconds(60);
    private boolean broken;
    private boolean closed;
    /** The classes the latest targets need, latest last, at most {@link #TARGET_CLASSES}. */
    private final Set<String> targetClasses = new LinkedHashSet<>();

    /** How many target classes the spares that boot load ahead. */
    static final int TARGET_CLASSES = 4;
    /** The classes each target class needs, found once: a lambda's take a serialization pass. */
    private static final Map<Class<?>, List<String>> TARGET_CLASS_NAMES =
            Collections.synchronizedMap(new WeakHashMap<>());

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
     * Notes the classes a start's target needs ({@link TargetNames#classesOf}): the spares that
     * boot from now on load and link them before they are taken, running none of their code.
     *
     * @param target the target
     */
    void noteTarget(Object target) {
        List<String> names = TARGET_CLASS_NAMES.get(target.getClass());
        if (names == null) { // found outside the map's lock: a lambda's take a serialization pass
            names = TargetNames.classesOf(target);
            TARGET_CLASS_NAMES.put(target.getClass(), names);
        }
        synchronized (lock) {
            targetClasses.removeAll(names);
            targetClasses.addAll(names);
            var eldest = targetClasses.iterator();
            while (targetClasses.size() > TARGET_CLASSES) {
                eldest.next();
                eldest.remove();
            }
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
                        bootDelayedNow();
                        takers++;
                        try {
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        } finally {
                            takers--;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } finally {
                replenish(true);
            }
        }
    }

    /** A start of this configuration succeeded cold: boot spares again if a boot failed. */
    void startedCold() {
        synchronized (lock) {
            broken = false;
            replenish(false);
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

    /**
     * Package access for tests: sets the replacement delay of the spares taken from now on.
     *
     * @param delay the delay; {@link #REPLACEMENT_DELAY} normally
     */
    static void replacementDelay(Duration delay) {
        replacementDelay = delay;
    }

    /** Package access for tests: the pids of the idle spares. */
    List<Long> idlePids() {
        synchronized (lock) {
            return idle.stream().map(spare -> spare.process().pid().orElse(-1)).toList();
        }
    }

    /**
     * Boots spares until there are as many as wanted, at once or after the replacement delay;
     * the caller holds the lock.
     */
    private void replenish(boolean later) {
        while (!closed && !broken && idle.size() + booting < wanted) {
            booting++;
            if (later) {
                delayed++;
                TIMER.schedule(this::bootDelayed, replacementDelay.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                Daemons.start("coproc-spare-boot", this::bootOne);
            }
        }
    }

    /** Boots the spares that wait for the replacement delay, at once; the caller holds the lock. */
    private void bootDelayedNow() {
        for (; delayed > 0; delayed--) {
            Daemons.start("coproc-spare-boot", this::bootOne);
        }
    }

    /** The replacement delay is up: boots a spare that still waits for it, unless the pool has closed. */
    private void bootDelayed() {
        synchronized (lock) {
            if (delayed == 0) {
                return; // booted at once by a start that found no idle spare
            }
            delayed--;
            if (closed) {
                booting--;
                lock.notifyAll();
                return;
            }
            Daemons.start("coproc-spare-boot", this::bootOne);
        }
    }

    private void bootOne() {
        SpareJvm spare;
        List<String> preload;
        synchronized (lock) {
            preload = List.copyOf(targetClasses);
        }
        try {
            spare = SpareJvm.boot(configuration, preload);
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
        boolean awaited;
        synchronized (lock) {
            awaited = takers > promised;
            if (awaited) {
                promised++;
            }
        }
        if (!awaited) {
            spare.prime(); // before another thread can take it
        }
        boolean keep;
        Duration idleFor;
        synchronized (lock) {
            if (awaited) {
                promised--;
            }
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
                replenish(false);
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
