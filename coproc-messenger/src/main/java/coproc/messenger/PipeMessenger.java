package coproc.messenger;

import coproc.api.CoprocException;
import coproc.api.Message;
import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import coproc.api.Prioritized;
import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.internal.Inbox;
import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.Signal;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link Messenger} on one end of a framed pipe: what {@link PriorityMessenger} and
 * {@link MultiMessenger} share. They differ only in the order of each channel's queue.
 *
 * <p>A receive that has to wait reads the pipe itself: it polls for a short while, then waits
 * in a selector, using no CPU. Each messenger also runs a daemon reader thread that reads
 * whenever no receive has for a millisecond, so the other side never blocks on a full pipe
 * while this side is busy, and its end is seen at once; and a flusher thread that writes
 * bursts of sends in one system call. Receives are serialised by a lock; sends by another,
 * so one thread may send while another receives. See {@link Messenger} for the full
 * contract.
 */
public abstract sealed class PipeMessenger implements Messenger permits PriorityMessenger, MultiMessenger {

    /** Stands for the {@code null} channel in maps that do not take null keys. */
    private static final Object DEFAULT_CHANNEL = new Object();

    private final Pipe pipe;
    private final Inbox inbox;
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final ConcurrentHashMap<Object, Counters> counters = new ConcurrentHashMap<>();
    /** Set once the pipe is finished; thrown by receives that find their channel empty. */
    private Throwable terminal;

    PipeMessenger(Pipe pipe) {
        this.pipe = pipe;
        this.inbox = pipe.inbox();
    }

    /**
     * Opens a messenger of the given kind over a connected channel, for transports of one's
     * own, as the side that connected: sends its handshake, checks the peer's (which must be
     * a {@link PipeMessenger} too, with the same serializer and secret), and starts reading.
     * The other side uses {@link #accept}.
     *
     * @param kind which messenger to make
     * @param channel a connected, blocking channel; the messenger owns it from now on
     * @param options the options
     * @return the messenger
     * @throws IOException if the channel fails
     * @throws coproc.api.PipeException if the handshake fails or times out; the channel is
     *     closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static PipeMessenger open(MessengerKind kind, ByteChannel channel, MessengerOptions options)
            throws IOException {
        return kind.create(Pipe.open(channel, options));
    }

    /**
     * As {@link #open}, for the side that accepted the connection: it checks the peer's
     * handshake, secret included, before it sends anything, so a peer without the secret is
     * refused having learnt nothing.
     *
     * @param kind which messenger to make
     * @param channel a connected, blocking channel; the messenger owns it from now on
     * @param options the options
     * @return the messenger
     * @throws IOException if the channel fails
     * @throws coproc.api.PipeException if the handshake fails or times out; the channel is
     *     closed
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static PipeMessenger accept(MessengerKind kind, ByteChannel channel, MessengerOptions options)
            throws IOException {
        return kind.create(Pipe.accept(channel, options));
    }

    /**
     * Prepares the serializers of the next messenger this JVM opens with the named serializer:
     * registers them now and returns the task that makes them, to run on another thread while
     * this one does something else, such as connecting. In a JVM that has just started, the
     * first serializer takes milliseconds to make (Kryo's classes are initialised, and all
     * code still runs interpreted), time that a worker JVM, say, can spend opening its first
     * socket. A messenger that opens before the task has started runs it itself; one that
     * opens while it runs waits for it. If the task fails, the messenger makes its own
     * serializers (and fails with the cause only if that fails too). Only the next messenger opened with that
     * serializer uses them; preparing again replaces what was prepared.
     *
     * <p>Thread-safe. Neither this method nor the task blocks, except on the serializer's own
     * work; the task throws nothing.
     *
     * @param serializer the serializer name, as in {@link MessengerOptions#withSerializer}
     * @return the task, to run once, on any thread
     * @throws NullPointerException if the name is {@code null}
     */
    public static Runnable prepare(String serializer) {
        return Pipe.prepare(serializer);
    }

    // ---- queue strategy ----

    abstract void enqueue(Message<Object> message);

    abstract Message<Object> dequeue(Object channel);

    abstract int queued(Object channel);

    // ---- sending ----

    @Override
    public void sendNoRequest(Object data, Object channel) {
        sendData(data, channel, 0);
    }

    @Override
    public void sendRequest(Object data, Object channel) {
        sendData(data, channel, 1);
    }

    @Override
    public void sendReply(Object data, Object channel) {
        sendData(data, channel, 2);
    }

    private void sendData(Object data, Object channel, int flags) {
        double priority = Double.NaN;
        if (data instanceof Prioritized p) {
            priority = p.priority();
            if (Double.isNaN(priority)) {
                throw new IllegalArgumentException("Priority of " + data.getClass().getName()
                        + " is NaN; priorities must be comparable numbers. Nothing was sent");
            }
        }
        Counters c = counters(channel);
        pipe.sendData(data, channel, flags, priority, flags == 1 ? c.countRequest : c.countMessage);
    }

    @Override
    public void sendError(Throwable error) {
        pipe.sendError(Objects.requireNonNull(error, "error"));
    }

    @Override
    public void sendCloseRequest() {
        pipe.sendCloseRequest();
    }

    // ---- receiving ----

    @Override
    public int available(Object channel) {
        receiveLock.lock();
        try {
            drain();
            return countOrFail(channel);
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public <T> List<T> receiveAvailable(Object channel) {
        List<T> payloads = new ArrayList<>();
        for (Message<T> message : this.<T>receiveAvailableMessages(channel)) {
            payloads.add(message.payload());
        }
        return payloads;
    }

    @Override
    public <T> List<Message<T>> receiveAvailableMessages(Object channel) {
        receiveLock.lock();
        try {
            drain();
            int n = countOrFail(channel);
            List<Message<T>> messages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                messages.add(pop(channel));
            }
            return messages;
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public <T> Message<T> receiveMessageBlocking(Object channel) {
        try {
            return receive(channel, Long.MAX_VALUE, null);
        } catch (TimeoutException e) {
            throw new AssertionError("no deadline, no timeout", e);
        }
    }

    @Override
    public <T> Message<T> receiveMessageBlocking(Object channel, Duration timeout) throws TimeoutException {
        return receive(channel, deadline(timeout), timeout);
    }

    private <T> Message<T> receive(Object channel, long deadline, Duration timeout) throws TimeoutException {
        receiveLock.lock();
        try {
            while (true) {
                drain();
                if (queued(channel) > 0) {
                    return pop(channel);
                }
                failIfFinished();
                if (!pipe.awaitFrames(deadline)) {
                    throw new TimeoutException("No message on channel " + channel + " within " + timeout);
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Receives the next message on a channel, blocking, keeping the order in which it and the
     * system messages arrived: an error or close request that arrived before the message is
     * thrown, as by any receive, while one that arrived after it is left to the next receive
     * (where {@link #receiveMessageBlocking(Object)} would throw it first, as system messages
     * jump the queues). For a handshake of one's own on top of a messenger, where the last
     * message of the handshake may have a close request right behind it that belongs to what
     * runs next; coproc's worker start uses it so.
     *
     * <p>Thread-safety and blocking as {@link #receiveMessageBlocking(Object)}.
     *
     * @param <T> the payload type
     * @param channel the channel, {@code null} for the default one
     * @return the message
     * @throws coproc.api.PipeException if this messenger is closed ({@code PipeClosedException}),
     *     or the pipe failed or the other side went away before such a message arrived
     * @throws RuntimeException an error or close request that arrived before the message
     */
    public <T> Message<T> receiveMessageInArrivalOrder(Object channel) {
        receiveLock.lock();
        try {
            while (true) {
                if (queued(channel) == 0 || pipe.isClosed()) {
                    drain(channel); // not with one queued: it would act on what came after it
                }
                if (queued(channel) > 0) {
                    return pop(channel);
                }
                failIfFinished();
                pipe.awaitFrames(Long.MAX_VALUE);
            }
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public <T> Iterable<T> receiveRemaining(Object channel) {
        return () -> {
            Iterator<Message<T>> messages = this.<T>receiveRemainingMessages(channel).iterator();
            return new Iterator<T>() {
                @Override
                public boolean hasNext() {
                    return messages.hasNext();
                }

                @Override
                public T next() {
                    return messages.next().payload();
                }
            };
        };
    }

    @Override
    public <T> Iterable<Message<T>> receiveRemainingMessages(Object channel) {
        return () -> new Iterator<Message<T>>() {
            @Override
            public boolean hasNext() {
                return remaining(channel) > 0;
            }

            @Override
            public Message<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("No replies remaining on channel " + channel);
                }
                return receiveMessageBlocking(channel);
            }
        };
    }

    /**
     * Moves what has arrived into the queues, acting on system messages as any receive does
     * (so a pending error or close request is thrown here), unless another thread is receiving
     * right now, in which case it does nothing: that receive will meet them. Never blocks.
     *
     * @return {@code true} if it drained, {@code false} if another thread was receiving
     * @throws RuntimeException whatever system message was drained, as receives throw it
     */
    public boolean drainIfIdle() {
        if (!receiveLock.tryLock()) {
            return false;
        }
        try {
            drain();
            return true;
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public void awaitAvailable() {
        awaitUntil(Long.MAX_VALUE);
    }

    @Override
    public boolean awaitAvailable(Duration timeout) {
        return awaitUntil(deadline(timeout));
    }

    private boolean awaitUntil(long deadline) {
        receiveLock.lock();
        try {
            if (inbox.isEmpty()) {
                failIfFinished();
                if (!pipe.awaitFrames(deadline)) {
                    return false;
                }
            }
            if (drain() == 0) {
                failIfFinished(); // what arrived was only the end of the stream
            }
            return true;
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Moves the inbox into the queues, acting on signals as it meets them.
     *
     * @return how many data messages it queued
     */
    private int drain() {
        return drain(DRAIN_ALL);
    }

    /** Stands for no channel in {@link #drain(Object)}: drain everything. */
    private static final Object DRAIN_ALL = new Object();

    /**
     * Moves the inbox into the queues, acting on signals as it meets them, up to and including
     * the first message on a channel.
     *
     * @param stopAfter the channel, or {@link #DRAIN_ALL}
     * @return how many data messages it queued
     */
    private int drain(Object stopAfter) {
        if (pipe.isClosed()) {
            throw new PipeClosedException("This messenger is closed; it can neither send nor receive");
        }
        pipe.pollFrames();
        int queued = 0;
        Object item;
        while (terminal == null && (item = inbox.poll()) != null) {
            if (item instanceof Message<?> message) {
                @SuppressWarnings("unchecked")
                Message<Object> data = (Message<Object>) message;
                enqueue(data);
                queued++;
                if (stopAfter != DRAIN_ALL && Objects.equals(data.channel(), stopAfter)) {
                    return queued;
                }
            } else {
                Signal signal = (Signal) item;
                if (signal == Signal.CLOSE_REQUEST) {
                    throw new ResourceRequestedCloseException("The other side requested close");
                }
                if (signal.terminal()) {
                    terminal = signal.error();
                    return queued;
                }
                if (signal.remote()) {
                    signal.error().addSuppressed(new CoprocException("Sent by the other side of the pipe with"
                            + " sendError, and thrown here by the receive that drained it"));
                }
                throw PipeMessenger.<RuntimeException>sneaky(signal.error());
            }
        }
        return queued;
    }

    private int countOrFail(Object channel) {
        int n = queued(channel);
        if (n == 0) {
            failIfFinished();
        }
        return n;
    }

    private void failIfFinished() {
        if (terminal != null) {
            throw PipeMessenger.<RuntimeException>sneaky(terminal);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @SuppressWarnings("unchecked")
    private <T> Message<T> pop(Object channel) {
        Message<Object> message = dequeue(channel);
        Counters c = counters(channel);
        c.messagesReceived.incrementAndGet();
        if (message.reply()) {
            c.repliesReceived.incrementAndGet();
        }
        return (Message<T>) (Message<?>) message;
    }

    private static long deadline(Duration timeout) {
        if (timeout.compareTo(Duration.ofDays(365)) > 0) {
            return Long.MAX_VALUE; // as good as for ever, and no overflow
        }
        long nanos = timeout.toNanos();
        return nanos <= 0 ? System.nanoTime() : System.nanoTime() + nanos;
    }

    // ---- counters ----

    private Counters counters(Object channel) {
        return counters.computeIfAbsent(channel == null ? DEFAULT_CHANNEL : channel, k -> new Counters());
    }

    private long count(Object channel, Function<Counters, AtomicLong> which) {
        Counters c = counters.get(channel == null ? DEFAULT_CHANNEL : channel);
        return c == null ? 0 : which.apply(c).get();
    }

    @Override
    public long requestsSent(Object channel) {
        return count(channel, c -> c.requestsSent);
    }

    @Override
    public long repliesReceived(Object channel) {
        return count(channel, c -> c.repliesReceived);
    }

    @Override
    public long messagesSent(Object channel) {
        return count(channel, c -> c.messagesSent);
    }

    @Override
    public long messagesReceived(Object channel) {
        return count(channel, c -> c.messagesReceived);
    }

    @Override
    public int queueSize(Object channel) {
        receiveLock.lock();
        try {
            return queued(channel);
        } finally {
            receiveLock.unlock();
        }
    }

    // ---- life ----

    @Override
    public boolean isClosed() {
        return pipe.isClosed();
    }

    @Override
    public void close() {
        pipe.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + pipe + "]";
    }

    private static final class Counters {
        final AtomicLong requestsSent = new AtomicLong();
        final AtomicLong repliesReceived = new AtomicLong();
        final AtomicLong messagesSent = new AtomicLong();
        final AtomicLong messagesReceived = new AtomicLong();
        /* Made once per channel, so that counting a send allocates nothing. */
        final Runnable countMessage = messagesSent::incrementAndGet;
        final Runnable countRequest = () -> {
            messagesSent.incrementAndGet();
            requestsSent.incrementAndGet();
        };
    }
}
