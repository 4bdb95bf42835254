package coproc.messenger.internal;

import coproc.api.CoprocException;
import coproc.api.CorruptFrameException;
import coproc.api.FrameTooLongException;
import coproc.api.Message;
import coproc.api.MessageNotRecognizedException;
import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.api.SerializationException;
import coproc.api.TruncatedFrameException;
import coproc.api.spi.NamedProvider;
import coproc.api.spi.Serializer;
import coproc.api.spi.SerializerProvider;
import coproc.messenger.MessengerOptions;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One end of a framed duplex pipe: encodes and writes frames for any number of sending
 * threads, and runs a reader thread that decodes incoming frames into an {@link Inbox}.
 * The messenger on top gives the frames their meaning.
 */
public final class Pipe {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<String, SerializerProvider> PROVIDERS = new ConcurrentHashMap<>();
    /** The tasks, registered by {@link #prepare}, that make the next pipe's serializers, by serializer name. */
    private static final Map<String, FutureTask<Serializer[]>> PREPARED = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "coproc-handshake-timer");
        t.setDaemon(true);
        return t;
    });

    private final ByteChannel channel;
    private final MessengerOptions options;
    private final FrameReader frames;
    private final Serializer writer;
    private final Serializer reader;
    private final Slice slice = new Slice();
    private final Inbox inbox = new Inbox();
    private volatile boolean closed;
    private volatile RuntimeException peerLost;

    /*
     * Reading. Whoever holds `readLock` reads the socket and decodes frames into the inbox. A
     * receive that has to wait takes the socket itself: it polls, then waits in the selector,
     * so a reply goes from the socket to the receiving thread without a hand-over. The reader
     * thread reads when no receive has done so for HANDOVER_NANOS, so the pipe is drained and
     * the other side's end is seen even when nobody receives; a receive that finds it waiting
     * in the selector wakes it and takes over.
     */
    /** How long a waiting receive polls the socket, yielding, before it waits in the selector. */
    static final long POLL_NANOS = 50_000;
    /** How long after a receive has read the reader thread leaves the socket to receives. */
    static final long HANDOVER_NANOS = 1_000_000;
    /** The longest pause of the reader thread while a receive holds the socket. */
    static final long MAX_HANDOVER_PAUSE_NANOS = 64_000_000;

    private static final BooleanSupplier INTERRUPTED = () -> Thread.currentThread().isInterrupted();

    private final ReentrantLock readLock = new ReentrantLock();
    private final AtomicInteger receiversWaiting = new AtomicInteger();
    /** The reader thread gives the socket up when a receive wants it. */
    private final BooleanSupplier giveWay = () -> receiversWaiting.get() > 0;
    private volatile long lastReceiveRead = System.nanoTime() - HANDOVER_NANOS;
    /** Set once the end of the stream, or a failure that ends it, has been put in the inbox. */
    private volatile boolean finished;
    /** What ended the stream; sends throw it too. */
    private volatile RuntimeException terminalError;

    /*
     * Writing. Senders encode frames into `pending` under `sendLock`. A lone frame is written
     * by its sender before the send returns. Frames that follow each other closely (a burst,
     * from one thread or many) are left to the flusher thread, which writes everything pending
     * in one system call while senders go on encoding into the other buffer; it polls for
     * FLUSHER_IDLE_NANOS after its last write, then parks, and senders write directly again.
     * `writeLock` keeps the writes in the order the frames were encoded: whoever writes takes
     * it before releasing `sendLock`.
     */
    /** A send this soon after the previous write ended starts a burst. */
    static final long BURST_NANOS = 5_000;
    /** How long the flusher polls for more frames before it parks. */
    static final long FLUSHER_IDLE_NANOS = 100_000;
    /**
     * Above this many pending bytes a sender writes them itself, waiting for the flusher's
     * write to finish first: the backpressure of a burst against a slow reader.
     */
    static final int HIGH_WATER_BYTES = 1 << 20;
    /** How long close() waits for a sender or the flusher to let it write what is pending. */
    static final long CLOSE_FLUSH_MILLIS = 1_000;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private FrameBuffer pending = new FrameBuffer(1024);
    private FrameBuffer spare = new FrameBuffer(1024);
    private long lastWriteEnd;
    private volatile boolean streaming;
    private volatile RuntimeException writeFailure;
    private Thread flusher;
    private final Selector writable;

    private Pipe(ByteChannel channel, MessengerOptions options, FrameReader frames, SerializerProvider provider,
            Selector writable) {
        this.channel = channel;
        this.options = options;
        this.frames = frames;
        Serializer[] serializers = serializers(options.serializer(), provider);
        this.writer = serializers[0];
        this.reader = serializers[1];
        this.writable = writable;
    }

    /**
     * Opens a pipe over a connected channel as the side that speaks first (the one that
     * connected): sends its hello, checks the peer's, then starts reading.
     *
     * @param channel a connected, blocking channel
     * @param options the options; the peer must use the same serializer and secret
     * @return the open pipe
     * @throws IOException if the channel fails
     * @throws PipeException if the handshake fails or times out; the channel is closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe open(ByteChannel channel, MessengerOptions options) throws IOException {
        return handshake(channel, options, true);
    }

    /**
     * Opens a pipe over a connected channel as the side that listens (the one that accepted
     * the connection): checks the peer's hello, secret included, before it sends anything of
     * its own, so a peer without the secret learns nothing; then starts reading.
     *
     * @param channel a connected, blocking channel
     * @param options the options; the peer must use the same serializer and secret
     * @return the open pipe
     * @throws IOException if the channel fails
     * @throws PipeException if the handshake fails or times out; the channel is closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static Pipe accept(ByteChannel channel, MessengerOptions options) throws IOException {
        return handshake(channel, options, false);
    }

    private static Pipe handshake(ByteChannel channel, MessengerOptions options, boolean speakFirst)
            throws IOException {
        SerializerProvider provider = provider(options.serializer());
        try {
            if (speakFirst) {
                Handshake.write(channel, options.serializer(), options.secret());
            }
            FrameReader frames = readHello(channel, options);
            if (!speakFirst) {
                Handshake.write(channel, options.serializer(), options.secret());
            }
            return start(channel, options, frames, provider);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Opens both ends of a new pipe in this JVM, over a Unix domain socket pair.
     *
     * @param options the options of both ends
     * @return the two ends, connected: the accepting one, then the connecting one
     * @throws UncheckedIOException if the socket pair cannot be made
     */
    public static Pipe[] openPair(MessengerOptions options) {
        SerializerProvider provider = provider(options.serializer());
        SocketChannel[] sockets = socketPair();
        Pipe first = null;
        try {
            Handshake.write(sockets[1], options.serializer(), options.secret());
            FrameReader accepted = readHello(sockets[0], options);
            Handshake.write(sockets[0], options.serializer(), options.secret());
            FrameReader connected = readHello(sockets[1], options);
            first = start(sockets[0], options, accepted, provider);
            return new Pipe[] {first, start(sockets[1], options, connected, provider)};
        } catch (IOException e) {
            closePair(first, sockets);
            throw new UncheckedIOException("Could not open a messenger pair", e);
        } catch (RuntimeException | Error e) {
            closePair(first, sockets);
            throw e;
        }
    }

    private static void closePair(Pipe first, SocketChannel[] sockets) {
        if (first != null) {
            first.close();
        }
        closeQuietly(sockets[0]);
        closeQuietly(sockets[1]);
    }

    /** Reads and checks the peer's hello, within the handshake timeout. */
    private static FrameReader readHello(ByteChannel channel, MessengerOptions options) throws IOException {
        FrameReader frames = new FrameReader(channel, Handshake.MAX_HELLO_LENGTH);
        ScheduledFuture<?> timeout = TIMER.schedule(() -> closeQuietly(channel),
                options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            Handshake.read(frames, options.serializer(), options.secret());
        } catch (AsynchronousCloseException e) {
            throw new PipeClosedException("No handshake from the peer within " + options.handshakeTimeout()
                    + "; is it a coproc messenger, and is it alive?", e);
        } finally {
            timeout.cancel(false);
        }
        if (!channel.isOpen()) {
            throw new PipeClosedException("No handshake from the peer within " + options.handshakeTimeout());
        }
        frames.setMaxFrameLength(options.maxFrameLength());
        return frames;
    }

    /**
     * Makes the pipe and starts its reader and flusher threads. A socket is switched to
     * non-blocking mode, so that the reader can poll briefly before it blocks in a selector.
     */
    private static Pipe start(ByteChannel channel, MessengerOptions options, FrameReader frames,
            SerializerProvider provider) throws IOException {
        Selector readable = null;
        Selector writable = null;
        Pipe pipe;
        try {
            if (channel instanceof SelectableChannel selectable) {
                selectable.configureBlocking(false);
                readable = Selector.open();
                writable = Selector.open();
                selectable.register(readable, SelectionKey.OP_READ);
                selectable.register(writable, SelectionKey.OP_WRITE);
                frames.pollThenWaitIn(readable);
            }
            pipe = new Pipe(channel, options, frames, provider, writable);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(readable);
            closeQuietly(writable);
            throw e;
        }
        int id = IDS.incrementAndGet();
        Thread reading = new Thread(pipe::readLoop, "coproc-reader-" + id);
        reading.setDaemon(true);
        pipe.flusher = new Thread(pipe::flushLoop, "coproc-flusher-" + id);
        pipe.flusher.setDaemon(true);
        pipe.flusher.start();
        reading.start();
        return pipe;
    }

    /**
     * Finds a serializer provider by name, once per JVM and name.
     *
     * @param name the serializer name
     * @return the provider
     * @throws IllegalArgumentException if none has the name, listing those that exist
     * @throws IllegalStateException if more than one has it
     */
    public static SerializerProvider provider(String name) {
        return PROVIDERS.computeIfAbsent(name, // a second thread wants the same one: it waits for the first
                wanted -> NamedProvider.select(Services.load(SerializerProvider.class), SerializerProvider.class, wanted));
    }

    /**
     * Registers the making of the serializers of the next pipe this JVM opens with the
     * serializer, and returns the task that makes them; see {@code PipeMessenger.prepare}.
     *
     * @param serializer the serializer name
     * @return the task, to run once, on any thread
     */
    public static Runnable prepare(String serializer) {
        Objects.requireNonNull(serializer, "serializer");
        FutureTask<Serializer[]> making = new FutureTask<>(() -> {
            SerializerProvider provider = provider(serializer);
            return new Serializer[] {provider.create(), provider.create()};
        }) {
            @Override
            protected void setException(Throwable failure) {
                PREPARED.remove(serializer, this); // no pipe is to wait for it (the name may not even exist)
                super.setException(failure);
            }
        };
        PREPARED.put(serializer, making);
        return making;
    }

    /** The serializers prepared for a new pipe, made here if their task has not started, or new ones. */
    private static Serializer[] serializers(String name, SerializerProvider provider) {
        FutureTask<Serializer[]> prepared = PREPARED.remove(name);
        Throwable failed = null;
        if (prepared != null) {
            prepared.run(); // does nothing if it has run or is running
            try {
                return prepared.get();
            } catch (ExecutionException e) {
                failed = e.getCause(); // made again below, to fail here
            } catch (CancellationException e) {
                failed = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return new Serializer[] {provider.create(), provider.create()};
        } catch (RuntimeException | Error e) {
            if (failed != null && failed != e) {
                e.addSuppressed(failed); // the first failure may say more (an initialiser's cause, say)
            }
            throw e;
        }
    }

    private static SocketChannel[] socketPair() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("coproc-pair", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path path = dir.resolve("s");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                return new SocketChannel[] {server.accept(), client};
            } finally {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a Unix domain socket pair", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /**
     * Returns what the reader thread has decoded.
     *
     * @return the inbox
     */
    public Inbox inbox() {
        return inbox;
    }

    /**
     * Sends a data frame.
     *
     * @param data the payload
     * @param channelId the channel
     * @param flags {@link Wire#REQUEST} or {@link Wire#REPLY} or 0
     * @param priority the payload's priority, or {@code NaN} if it has none
     * @param beforeWrite run under the send lock once the frame is encoded, before it is
     *     written: the place to count the send
     * @throws SerializationException if the payload or channel cannot be serialized; nothing
     *     was written
     * @throws FrameTooLongException if the frame is longer than the limit; nothing was written
     */
    public void sendData(Object data, Object channelId, int flags, double priority, Runnable beforeWrite) {
        sendLock.lock();
        try {
            int start = beginFrame(Wire.DATA);
            try {
                boolean prioritized = !Double.isNaN(priority);
                pending.write(flags | (channelId == null ? Wire.DEFAULT_CHANNEL : 0)
                        | (prioritized ? Wire.PRIORITIZED : 0));
                if (prioritized) {
                    long bits = Double.doubleToRawLongBits(priority);
                    pending.writeInt((int) (bits >>> 32));
                    pending.writeInt((int) bits);
                }
                if (channelId != null) {
                    int lengthAt = pending.size();
                    pending.writeInt(0);
                    serialize(channelId, "channel");
                    pending.putInt(lengthAt, pending.size() - lengthAt - 4);
                }
                serialize(data, "payload");
                endFrame(start); // before counting: a refused frame is neither written nor counted
            } catch (RuntimeException | Error e) {
                pending.truncate(start); // whatever failed, nothing of the frame is sent
                throw e;
            }
            beforeWrite.run();
            written();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends an error frame.
     *
     * @param error the exception
     */
    public void sendError(Throwable error) {
        sendLock.lock();
        try {
            int start = beginFrame(Wire.ERROR);
            try {
                ErrorCodec.encode(error, pending);
                endFrame(start);
            } catch (IOException e) {
                pending.truncate(start);
                throw new UncheckedIOException(e); // in memory: does not happen
            } catch (RuntimeException | Error e) {
                pending.truncate(start);
                throw e;
            }
            written();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a close request frame. Waits at most {@value #CLOSE_FLUSH_MILLIS} ms for a send
     * that is blocked on a full pipe, so that a stop ladder never hangs on it.
     *
     * @throws PipeException if the pipe is closed, broken, or stuck
     */
    public void sendCloseRequest() {
        try {
            if (!sendLock.tryLock(CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new PipeException("Could not send the close request: another send has been blocked for "
                        + CLOSE_FLUSH_MILLIS + " ms on a full pipe; is the other side reading?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipeException("Interrupted while sending a close request", e);
        }
        try {
            endFrame(beginFrame(Wire.CLOSE));
            written();
        } finally {
            sendLock.unlock();
        }
    }

    /** Starts a frame at the end of the pending bytes; returns where it starts. */
    private int beginFrame(byte kind) {
        checkOpen();
        int start = pending.size();
        pending.writeInt(0);
        pending.write(kind);
        return start;
    }

    /** Fills in the frame's length, refusing it if it is longer than the limit. */
    private void endFrame(int start) {
        int length = pending.size() - start - 4;
        if (length > options.maxFrameLength()) {
            throw new FrameTooLongException(length, options.maxFrameLength(),
                    "nothing was sent; the messenger stays usable. Send smaller payloads or raise maxFrameLength");
        }
        pending.putInt(start, length);
    }

    private void serialize(Object value, String what) {
        try {
            writer.serialize(value, pending);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String type = value == null ? "null" : value.getClass().getName();
            String detail = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
            throw new SerializationException("Cannot send the " + what + " (" + type + ") with the '"
                    + options.serializer() + "' serializer; nothing was sent. " + detail, e);
        }
    }

    /**
     * A frame has been appended: writes it now, unless a burst is under way, in which case the
     * flusher writes it within its next poll (unless more than {@link #HIGH_WATER_BYTES} are
     * pending: then the sender writes, and blocks while the pipe is full). The caller holds
     * the send lock.
     */
    private void written() {
        if (streaming && pending.size() < HIGH_WATER_BYTES) {
            return;
        }
        boolean burst = System.nanoTime() - lastWriteEnd < BURST_NANOS;
        writeLock.lock();
        try {
            writeAll(pending);
        } finally {
            writeLock.unlock();
        }
        lastWriteEnd = System.nanoTime();
        if (burst && flusher != null) {
            streaming = true;
            LockSupport.unpark(flusher);
        }
    }

    /** The flusher thread: while a burst lasts, writes what senders have appended. */
    private void flushLoop() {
        while (!closed && !finished) {
            if (!streaming) {
                LockSupport.park(this);
                continue;
            }
            long idleSince = System.nanoTime();
            while (streaming && !closed && !finished) {
                FrameBuffer batch = null;
                sendLock.lock();
                try {
                    if (pending.size() > 0) {
                        batch = pending;
                        pending = spare;
                        writeLock.lock(); // before sendLock is released: writes keep their order
                    } else if (System.nanoTime() - idleSince > FLUSHER_IDLE_NANOS) {
                        streaming = false;
                    }
                } finally {
                    sendLock.unlock();
                }
                if (batch == null) {
                    Thread.yield();
                    continue;
                }
                try {
                    writeAll(batch);
                } catch (RuntimeException e) {
                    streaming = false; // the next send reports it
                } finally {
                    spare = batch;
                    writeLock.unlock();
                }
                idleSince = System.nanoTime();
            }
        }
    }

    /** Writes and empties a buffer; the caller holds the write lock. */
    private void writeAll(FrameBuffer buffer) {
        ByteBuffer bytes = buffer.view();
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    writable.select(); // the socket's buffer is full: wait until it drains
                    writable.selectedKeys().clear();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            RuntimeException failure = closed ? new PipeClosedException("This messenger is closed", e) : peerLost(e);
            writeFailure = failure;
            throw failure;
        } finally {
            buffer.clear();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new PipeClosedException("This messenger is closed; it can neither send nor receive");
        }
        RuntimeException failure = writeFailure != null ? writeFailure : terminalError;
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The reader thread: reads whenever receives leave the socket alone, until the stream
     * ends. While a receive holds the socket it checks back with a growing pause, up to
     * {@value #MAX_HANDOVER_PAUSE_NANOS} ns, so that a long receive costs next to nothing.
     */
    private void readLoop() {
        long pause = HANDOVER_NANOS;
        while (!finished && !closed) {
            if (!frames.selectable()) {
                readLock.lock(); // a blocking channel: only this thread reads
            } else if (receiversWaiting.get() > 0 || System.nanoTime() - lastReceiveRead < HANDOVER_NANOS
                    || !readLock.tryLock()) {
                LockSupport.parkNanos(this, pause);
                pause = receiversWaiting.get() > 0 ? Math.min(2 * pause, MAX_HANDOVER_PAUSE_NANOS) : HANDOVER_NANOS;
                continue;
            }
            try {
                pump(true, 0, Long.MAX_VALUE, giveWay);
            } finally {
                readLock.unlock();
            }
        }
    }

    /**
     * Waits until something is in the inbox: reads the socket itself when it can, or else
     * waits for the reader thread. The caller is the messenger's one receiving thread.
     *
     * @param deadline the {@link System#nanoTime()} to give up at, or {@link Long#MAX_VALUE}
     * @return {@code true} if the inbox has something, {@code false} if the deadline passed
     * @throws coproc.api.CoprocException if the thread is interrupted; its flag stays set
     */
    public boolean awaitFrames(long deadline) {
        if (!inbox.isEmpty()) {
            return true;
        }
        if (!frames.selectable() || finished) {
            return inbox.await(deadline);
        }
        receiversWaiting.incrementAndGet();
        try {
            if (!readLock.tryLock()) {
                frames.wakeUp(); // the reader thread waits in the selector: make it give way
                if (!lockUntil(deadline)) {
                    return !inbox.isEmpty();
                }
            }
            try {
                if (inbox.isEmpty()) {
                    pump(true, POLL_NANOS, deadline, INTERRUPTED);
                }
            } finally {
                lastReceiveRead = System.nanoTime();
                readLock.unlock();
            }
        } finally {
            receiversWaiting.decrementAndGet();
        }
        if (inbox.isEmpty() && Thread.currentThread().isInterrupted()) {
            throw new CoprocException("Interrupted while waiting for a message");
        }
        return !inbox.isEmpty();
    }

    /** Reads what has arrived into the inbox, without waiting, if no one else is reading. */
    public void pollFrames() {
        if (frames.selectable() && !finished && readLock.tryLock()) {
            try {
                pump(false, 0, 0, INTERRUPTED);
            } finally {
                readLock.unlock();
            }
        }
    }

    private boolean lockUntil(long deadline) {
        try {
            if (deadline == Long.MAX_VALUE) {
                readLock.lockInterruptibly();
                return true;
            }
            return readLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoprocException("Interrupted while waiting for a message");
        }
    }

    /**
     * Reads a frame, waiting as allowed, then every frame that has arrived, into the inbox;
     * ends the pipe on the end of the stream or a failure. The caller holds the read lock.
     */
    private void pump(boolean wait, long pollNanos, long deadline, BooleanSupplier giveUp) {
        if (finished) {
            return;
        }
        try {
            int status = frames.next(wait, pollNanos, deadline, giveUp);
            // Then what has arrived with it, but no more: a steady stream must not keep a
            // receive, or the reader thread that a receive waits for, from returning.
            while (status == FrameReader.FRAME) {
                inbox.add(decode(frames.array(), frames.offset(), frames.length()));
                status = giveUp.getAsBoolean() ? FrameReader.NONE : frames.nextBuffered();
            }
            if (status == FrameReader.END) {
                finish(peerLost(null));
            }
        } catch (TruncatedFrameException e) {
            /* The other side died while writing: report its death, as a transport knows it. */
            RuntimeException end = options.peerLoss() == null ? e : peerLost(e);
            if (end != e) {
                end.addSuppressed(e);
            }
            finish(end);
        } catch (PipeException e) {
            finish(e);
        } catch (IOException | RuntimeException e) {
            finish(closed ? new PipeClosedException("This messenger is closed", e) : peerLost(e));
        } catch (Error e) {
            /* Leave a terminal signal so that no receive waits for a reader that is gone. */
            finish(new PipeException("The pipe's reader failed: " + e, e));
            throw e;
        }
    }

    /**
     * Ends the stream: leaves the terminal signal for receives, and releases the channel, the
     * selectors and the flusher thread (what arrived stays receivable). The caller holds the
     * read lock.
     */
    private void finish(RuntimeException end) {
        terminalError = end;
        finished = true;
        inbox.add(new Signal(end, true, false));
        release();
    }

    /** Closes the channel and the selectors and lets the flusher end. Idempotent. */
    private void release() {
        closeQuietly(channel);
        frames.release();
        if (writable != null) {
            try {
                writable.close(); // wakes a writer waiting in it
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
        if (flusher != null) {
            LockSupport.unpark(flusher);
        }
    }

    private Object decode(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return new Signal(new CorruptFrameException("Corrupt frame: empty body; dropped it"), false, false);
        }
        byte kind = bytes[offset];
        try {
            switch (kind) {
                case Wire.DATA:
                    return decodeData(bytes, offset + 1, length - 1);
                case Wire.ERROR:
                    return new Signal(ErrorCodec.decode(bytes, offset + 1, length - 1), false, true);
                case Wire.CLOSE:
                    return Signal.CLOSE_REQUEST;
                default:
                    return new Signal(new MessageNotRecognizedException("Unrecognized frame kind " + kind + " ("
                            + length + " bytes); dropped it. Does the peer run a newer coproc?"), false, false);
            }
        } catch (IOException | RuntimeException | StackOverflowError | LinkageError e) {
            return new Signal(new CorruptFrameException("Corrupt frame: a " + length + "-byte "
                    + (kind == Wire.ERROR ? "error" : "data") + " frame did not decode with the '"
                    + options.serializer() + "' serializer (" + e + "); dropped it, the pipe stays usable", e),
                    false, false);
        }
    }

    private Message<Object> decodeData(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int flags = bytes[offset++];
        double priority = Double.NEGATIVE_INFINITY;
        if ((flags & Wire.PRIORITIZED) != 0) {
            priority = Double.longBitsToDouble(readLong(bytes, offset, end));
            offset += 8;
        }
        Object channelId = null;
        if ((flags & Wire.DEFAULT_CHANNEL) == 0) {
            int channelLength = readInt(bytes, offset, end);
            offset += 4;
            if (channelLength < 0 || channelLength > end - offset) {
                throw new IOException("channel length " + channelLength + " exceeds the frame");
            }
            channelId = reader.deserialize(slice.reset(bytes, offset, channelLength));
            offset += channelLength;
        }
        Object payload = reader.deserialize(slice.reset(bytes, offset, end - offset));
        return new Message<>(payload, channelId, (flags & Wire.REQUEST) != 0, (flags & Wire.REPLY) != 0,
                Double.isNaN(priority) ? Double.POSITIVE_INFINITY : priority);
    }

    /** Reads 8 bytes at {@code offset}, big-endian, checking that they are inside the frame. */
    private static long readLong(byte[] bytes, int offset, int end) throws IOException {
        if (offset + 8 > end) {
            throw new IOException("frame too short");
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }

    private static int readInt(byte[] bytes, int offset, int end) throws IOException {
        if (offset + 4 > end) {
            throw new IOException("frame too short");
        }
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | (bytes[offset + 3] & 0xff);
    }

    private synchronized RuntimeException peerLost(Throwable cause) {
        RuntimeException lost = peerLost;
        if (lost == null) {
            Supplier<? extends RuntimeException> supplier = options.peerLoss();
            lost = supplier != null ? supplier.get()
                    : new PipeClosedException("The other side closed the pipe", cause);
            peerLost = lost;
        }
        return lost;
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Writes what is pending, if that can be done without waiting on a stuck writer, then
     * closes the channel; the reader and flusher threads end. Idempotent; never blocks for
     * long.
     */
    public void close() {
        try {
            if (sendLock.tryLock(CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    /* The write lock too, even with nothing pending: the flusher may be writing
                       frames it took from `pending` a moment ago, and closing the channel under
                       that write would lose them. */
                    if (!closed && writeFailure == null
                            && writeLock.tryLock(CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS)) {
                        try {
                            if (pending.size() > 0) {
                                writeAll(pending);
                            }
                        } catch (RuntimeException e) {
                            // the other side has gone: nothing to deliver it to
                        } finally {
                            writeLock.unlock();
                        }
                    }
                    closed = true;
                } finally {
                    sendLock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        release();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public String toString() {
        return "Pipe[serializer=" + options.serializer() + (closed ? ", closed" : "") + "]";
    }
}
