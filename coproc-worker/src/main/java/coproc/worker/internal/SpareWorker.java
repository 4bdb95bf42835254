package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The worker side of a spare JVM: where its target comes from. A spare boots and connects as
 * any worker does, but its target is not on its standard input yet: it watches its host from
 * the start (it may wait long), and waits for the host to take it, which writes the target's
 * length and bytes to its standard input. If the host finds no start waiting for the spare
 * once it has connected, it writes {@link #PRIME} there first, and the spare primes itself on
 * a thread of its own while it waits (see {@link SparePriming}); a spare taken as it connects,
 * as in a burst of starts, is not slowed by priming that would only be thrown away. If
 * the standard input ends first — the host retired the spare, or went away — it halts with
 * {@link WorkerRuntime#HOST_GONE} and writes nothing. Until it is taken it runs no user code.
 */
final class SpareWorker {

    /** What the host writes on a spare's standard input, in place of a target's length, to have it prime itself. */
    static final int PRIME = -1;

    private SpareWorker() {
    }

    /**
     * Whether these worker settings are a spare's.
     *
     * @param settings the worker's settings, from its environment
     * @return whether the worker is a spare
     */
    static boolean isSpare(Map<String, String> settings) {
        return Bootstrap.SPARE.equals(settings.get(Bootstrap.TARGET_LENGTH));
    }

    /**
     * Starts watching the host, and decoding a target of coproc's own once, on a thread of its
     * own, while the spare connects (as a worker started cold decodes its target then); returns
     * what gives the spare's target: called once, it blocks until the host takes the spare.
     *
     * @param settings the worker's settings
     * @return gives the target's bytes, once they have come
     */
    static Callable<byte[]> target(Map<String, String> settings) {
        Daemons.start("coproc-spare-watch", () -> {
            long parent = HostWatch.parent();
            String host = settings.get(Bootstrap.HOST_PID);
            if (host == null || Long.parseLong(host) == parent) {
                HostWatch.watch(parent);
            }
            SparePriming.decodeOnce();
        });
        return () -> awaitTarget(settings);
    }

    private static byte[] awaitTarget(Map<String, String> settings) throws IOException {
        DataInputStream in = new DataInputStream(System.in);
        int length;
        try {
            length = in.readInt();
            if (length == PRIME) {
                SparePriming.prime(settings);
                length = in.readInt();
            }
            SparePriming.stop(); // taken: the CPU is the worker's now
        } catch (EOFException retired) {
            Runtime.getRuntime().halt(WorkerRuntime.HOST_GONE);
            throw retired; // not reached
        }
        if (length < 0) {
            throw new IOException("The host announced a target of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
