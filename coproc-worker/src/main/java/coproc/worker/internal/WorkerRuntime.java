package coproc.worker.internal;

import coproc.api.PipeClosedException;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.WorkerTarget;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The worker side: connects back to the host, loads the target, runs it, and reports how it
 * ended. Shared by every launcher; a launcher that owns the JVM also makes the worker end
 * when its host goes away.
 */
public final class WorkerRuntime {

    /** Exit code of a worker whose target threw. */
    public static final int TARGET_FAILED = 1;
    /** Exit code of a worker that could not start its target. */
    public static final int BOOTSTRAP_FAILED = 2;
    /** Exit code of a worker whose host went away. */
    public static final int HOST_GONE = 3;

    /** How long a target may take to notice that the host has gone before its JVM is halted. */
    private static final long HOST_GONE_GRACE_MILLIS = 500;

    private WorkerRuntime() {
    }

    /**
     * Runs a worker to its end.
     *
     * @param settings the settings made by {@link Bootstrap#settings}
     * @param ownsJvm whether this worker is the only thing in its JVM, which it then halts
     *     when the host goes away
     * @return the exit code
     */
    @SuppressWarnings("unchecked")
    public static int run(Map<String, String> settings, boolean ownsJvm) {
        PipeMessenger messenger;
        try {
            MessengerOptions options = MessengerOptions.defaults()
                    .withSerializer(settings.get(Bootstrap.SERIALIZER))
                    .withMaxFrameLength(Integer.parseInt(settings.get(Bootstrap.MAX_FRAME)))
                    .withSecret(Base64.getDecoder().decode(settings.get(Bootstrap.SECRET)))
                    .withPeerLoss(() -> hostGone(ownsJvm));
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(settings.get(Bootstrap.SOCKET)));
            messenger = PipeMessenger.open(MessengerKind.valueOf(settings.get(Bootstrap.MESSENGER)), channel, options);
        } catch (IOException | RuntimeException e) {
            System.err.println("coproc worker: cannot connect to the host: " + e);
            e.printStackTrace();
            return BOOTSTRAP_FAILED;
        }
        try (messenger) {
            WorkerTarget<Object> target;
            Object argument;
            try {
                Object[] loaded = Bootstrap.decode(messenger.<byte[]>receiveBlocking(Bootstrap.CHANNEL));
                target = (WorkerTarget<Object>) loaded[0];
                argument = loaded[1];
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                report(messenger, new IllegalStateException("The worker could not load its target: " + e
                        + ". Is the target's module or class path the same in the worker?", e));
                return BOOTSTRAP_FAILED;
            }
            messenger.sendReply(Bootstrap.READY, Bootstrap.CHANNEL);
            try {
                messenger.receiveBlocking(Bootstrap.CHANNEL); // Bootstrap.GO
            } catch (RuntimeException e) {
                return HOST_GONE; // the host gave up on this start
            }
            try {
                target.run(messenger, argument);
                return 0;
            } catch (ResourceRequestedCloseException e) {
                return 0;
            } catch (PipeClosedException e) {
                return HOST_GONE;
            } catch (Throwable e) {
                report(messenger, e);
                return TARGET_FAILED;
            }
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    /** Prints the failure on stderr and sends it to the host, if the host is still there. */
    private static void report(PipeMessenger messenger, Throwable error) {
        System.err.print("coproc worker: the target failed: ");
        error.printStackTrace();
        try {
            messenger.sendError(error);
        } catch (RuntimeException ignored) {
            // the host has gone; stderr has it
        }
    }

    private static RuntimeException hostGone(boolean ownsJvm) {
        if (ownsJvm) {
            CompletableFuture.delayedExecutor(HOST_GONE_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(HOST_GONE);
            });
        }
        return new PipeClosedException("The host went away; this worker ends");
    }
}
