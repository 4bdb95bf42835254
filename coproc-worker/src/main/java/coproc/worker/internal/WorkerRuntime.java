package coproc.worker.internal;

import coproc.api.PipeClosedException;
import coproc.api.ResourceRequestedCloseException;
import coproc.api.WorkerTarget;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.Closeables;
import coproc.messenger.internal.Daemons;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.PipeConnector;
import coproc.worker.internal.tls.TlsClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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

    /** How long a TLS worker may take to reach its host and finish the TLS handshake. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private WorkerRuntime() {
    }

    /**
     * Runs a worker to its end.
     *
     * @param settings the settings made by {@link Bootstrap#settings}
     * @param targetBytes gives the target's bytes (from standard input, say); called once
     * @param ownsJvm whether this worker is the only thing in its JVM: it then loads its target
     *     on a thread of its own while it connects (a spare, whose target comes long after it has
     *     connected, loads it on the calling thread, which then goes on without waiting for
     *     another thread), and halts the JVM when the host goes away
     * @param started run once the host has seen the worker ready, before the target runs
     * @return the exit code
     */
    public static int run(Map<String, String> settings, Callable<byte[]> targetBytes, boolean ownsJvm, Runnable started) {
        FutureTask<Object[]> loading = new FutureTask<>(() -> Bootstrap.decode(targetBytes.call()));
        if (ownsJvm && !SpareWorker.isSpare(settings)) {
            Daemons.start("coproc-worker-load", loading);
        }
        PipeMessenger messenger;
        ByteChannel channel = null;
        try {
            channel = connect(settings);
            /* Behind ssh's forwarding, a receive blocks without polling first: polling would take the
               CPU that ssh needs. Over TLS the pipe's bytes go straight to the host, and a receive
               polls only while its polls pay (across machines they do not, and it stops). */
            boolean remote = settings.get(Bootstrap.REMOTE) != null;
            MessengerOptions options = MessengerOptions.defaults()
                    .withSerializer(settings.get(Bootstrap.SERIALIZER))
                    .withMaxFrameLength(Integer.parseInt(settings.get(Bootstrap.MAX_FRAME)))
                    .withSecret(Base64.getDecoder().decode(settings.get(Bootstrap.SECRET)));
            Pipe pipe = PipeConnector.open(channel, options, () -> hostGone(ownsJvm));
            if (remote) {
                pipe.receiveWithoutPolling();
            }
            messenger = MessengerAccess.bridge().create(MessengerKind.valueOf(settings.get(Bootstrap.MESSENGER)), pipe);
        } catch (IOException | RuntimeException e) {
            System.err.println("coproc worker: cannot connect to the host: " + e);
            e.printStackTrace();
            Closeables.closeQuietly(channel);
            return BOOTSTRAP_FAILED;
        }
        try (messenger) {
            Object[] loaded;
            try {
                loaded = load(loading);
            } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
                report(messenger, new IllegalStateException("The worker could not load its target: " + e
                        + ". Is the target's module or class path the same in the worker?", e));
                return BOOTSTRAP_FAILED;
            }
            messenger.sendReply(Bootstrap.READY, Bootstrap.CHANNEL);
            // Made while "ready" and "go" cross, installed once "go" has come.
            PipedOutput.Streams output = ownsJvm ? PipedOutput.prepare(MessengerAccess.bridge().pipe(messenger),
                    Integer.parseInt(settings.get(Bootstrap.MAX_FRAME))) : null;
            Thread flushAtExit = ownsJvm ? new FlushAtExit(messenger) : null;
            try {
                // Bootstrap.GO; a close request the host sent right after it is for the target
                MessengerAccess.bridge().receiveInArrivalOrder(messenger, Bootstrap.CHANNEL);
            } catch (RuntimeException e) {
                return HOST_GONE; // the host gave up on this start
            }
            started.run();
            if (ownsJvm) {
                // What the target prints reaches the host in order with its messages.
                output.install();
                // A target that calls System.exit: what it printed or sent in a burst is still written.
                Runtime.getRuntime().addShutdownHook(flushAtExit);
            }
            @SuppressWarnings("unchecked")
            WorkerTarget<Object> target = (WorkerTarget<Object>) loaded[0];
            try {
                target.run(messenger, loaded[1]);
                return 0;
            } catch (ResourceRequestedCloseException e) {
                return 0;
            } catch (PipeClosedException e) {
                return HOST_GONE;
            } catch (Throwable e) {
                report(messenger, e);
                return TARGET_FAILED;
            } finally {
                System.out.flush(); // while the pipe is open
                System.err.flush();
            }
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    /**
     * Connects to the host: over TLS to {@link Bootstrap#TLS_ADDRESS}, pinning the host's
     * certificate, or else to the Unix socket {@link Bootstrap#SOCKET}.
     */
    private static ByteChannel connect(Map<String, String> settings) throws IOException {
        String tls = settings.get(Bootstrap.TLS_ADDRESS);
        if (tls != null) {
            return TlsClient.connect(tls, HexFormat.of().parseHex(settings.get(Bootstrap.TLS_FINGERPRINT)),
                    CONNECT_TIMEOUT);
        }
        // Connect first: a JVM's first Unix domain socket takes milliseconds, time in
        // which WorkerMain prepares the serializer that the options look up.
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(settings.get(Bootstrap.SOCKET)));
            if (settings.get(Bootstrap.REMOTE) != null) {
                Files.deleteIfExists(Path.of(settings.get(Bootstrap.SOCKET))); // connected: no one else may
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            Closeables.closeQuietly(channel);
            throw e;
        }
    }

    /** The target and its argument: loaded here, or by the thread loading them already. */
    private static Object[] load(FutureTask<Object[]> loading) throws IOException, ClassNotFoundException {
        loading.run(); // does nothing if the loading thread has it
        try {
            return loading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading the target", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof ClassNotFoundException missing) {
                throw missing;
            } else if (cause instanceof RuntimeException runtime) {
                throw runtime;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
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

    /**
     * The exit hook of a worker that owns its JVM: writes out what the target printed or sent
     * in a burst when it calls {@code System.exit}. A class of its own rather than a lambda, so
     * that a spare JVM loads it before it is taken (see {@link SparePriming}).
     */
    static final class FlushAtExit extends Thread {

        private final PipeMessenger messenger;

        FlushAtExit(PipeMessenger messenger) {
            super("coproc-flush-at-exit");
            this.messenger = messenger;
        }

        @Override
        public void run() {
            System.out.flush();
            System.err.flush();
            try {
                messenger.flush();
            } catch (RuntimeException ignored) {
                // closed already, or the host has gone: nothing to deliver it to
            }
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
