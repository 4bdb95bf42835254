package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.internal.Closeables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One spare worker JVM, booted and connected, that waits to be handed a target: its process,
 * the host's messenger to it (authenticated with its own one-time secret), its standard input,
 * on which the target goes, and its output, which goes to the start that takes it. Made by
 * {@link #boot}; told to prime at most once ({@link #prime}), then used once, by
 * {@link #handOver} or {@link #retire}. Not thread-safe: its pool
 * gives each spare to one thread.
 */
final class SpareJvm {

    private final LiveWorkers.Started connected;
    private final OutputStream stdin;
    private final SpareOutput stdout;
    private final SpareOutput stderr;

    private SpareJvm(LiveWorkers.Started connected, OutputStream stdin, SpareOutput stdout, SpareOutput stderr) {
        this.connected = connected;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Boots a spare for starts of this configuration: launches it and waits until it has
     * connected. Blocks for at most the configuration's start timeout.
     *
     * @param configuration the start whose JVM, messenger and timeouts the spare gets
     * @param targetClasses the classes the spare loads and links while it waits (see
     *     {@link Bootstrap#SPARE_CLASSES})
     * @return the spare, connected
     * @throws coproc.api.WorkerStartException if it does not come up; nothing is left running
     */
    static SpareJvm boot(WorkerStart configuration, List<String> targetClasses) {
        SpareOutput stdout = new SpareOutput();
        SpareOutput stderr = new SpareOutput();
        OutputStream[] stdin = new OutputStream[1];
        Launcher launcher = spec -> {
            Map<String, String> settings = new HashMap<>(spec.settings());
            settings.put(Bootstrap.SPARE_CLASSES, String.join(",", targetClasses));
            JvmLauncherProvider.Launched launched = JvmLauncherProvider.start(new LaunchSpec(spec.mainModule(),
                    spec.mainClass(), spec.jvm(), settings, spec.target(), spec.stdout(), spec.stderr(), spec.entry()),
                    Bootstrap.SPARE);
            JvmWorker worker = new JvmWorker(launched.process(), (byte[]) null, spec.stdout(), spec.stderr());
            stdin[0] = launched.process().getOutputStream();
            try {
                stdin[0].write(launched.secret());
                stdin[0].flush();
            } catch (IOException e) {
                worker.kill();
                throw e;
            }
            return worker;
        };
        WorkerStart start = new WorkerStart(launcher, configuration.kind(), configuration.messenger(),
                configuration.jvm(), configuration.startTimeout(), configuration.stopTimeout(), stdout, stderr);
        LiveWorkers.Started connected = start.connect(launcher, new byte[0],
                System.nanoTime() + configuration.startTimeout().toNanos());
        return new SpareJvm(connected, stdin[0], stdout, stderr);
    }

    /** {@return the spare's process} */
    WorkerProcess process() {
        return connected.process();
    }

    /** {@return the spare's process and the host's messenger to it} */
    LiveWorkers.Started connected() {
        return connected;
    }

    /**
     * Hands the spare a target: its output goes to the given sinks from now on (what it wrote
     * while it waited first), and the target to its standard input, which is then closed. The
     * spare then loads it and says "ready" as a worker started cold does.
     *
     * @param target the encoded target and start argument
     * @param out takes the spare's standard output from now on
     * @param err takes its standard error
     * @throws IOException if the spare has gone; it is then retired
     */
    void handOver(byte[] target, Consumer<String> out, Consumer<String> err) throws IOException {
        stdout.attach(out);
        stderr.attach(err);
        try {
            stdin.write(ByteBuffer.allocate(4 + target.length).putInt(target.length).put(target).array());
            stdin.close(); // as a worker started cold, it reads the end of its standard input after the target
        } catch (IOException e) {
            retire(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Has the spare prime itself while it waits (see {@link SpareWorker#PRIME}); before it is
     * taken, at most once. A spare that has gone is left for its pool to see.
     */
    void prime() {
        try {
            stdin.write(ByteBuffer.allocate(4).putInt(SpareWorker.PRIME).array());
            stdin.flush();
        } catch (IOException gone) {
            // its pool replaces it once its process has ended
        }
    }

    /**
     * Ends the spare: closes its standard input, on which it halts quietly, and its pipe; if it
     * is still alive after the grace period, kills it. Returns at once; throws nothing.
     *
     * @param grace how long it may take to end by itself
     */
    void retire(Duration grace) {
        Closeables.closeQuietly(stdin);
        connected.messenger().close();
        WorkerProcess process = connected.process();
        if (grace.isZero()) {
            process.kill();
        } else {
            CompletableFuture.delayedExecutor(grace.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                if (process.isAlive()) {
                    process.kill();
                }
            });
        }
    }

    @Override
    public String toString() {
        return "spare " + connected.process();
    }
}
