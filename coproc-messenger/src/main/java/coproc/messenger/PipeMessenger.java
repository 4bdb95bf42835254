package coproc.messenger;

import coproc.api.Message;
import coproc.api.Messenger;
import coproc.api.PipeClosedException;
import coproc.api.Prioritized;
import coproc.api.ResourceRequestedCloseException;
import coproc.messenger.internal.ChannelCounters;
import coproc.messenger.internal.ChannelCounters.Count;
import coproc.messenger.internal.Deadlines;
import coproc.messenger.internal.Inbox;
import coproc.messenger.internal.InboxItem;
import coproc.messenger.internal.MessageKind;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.PipeConnector;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Messenger} on one end of a framed pipe: what {@link PriorityMessenger} and
 * {@link MultiMessenger} share. They differ only in the order of each channel's queue.
 *
 * <p>A receive that has to wait reads the pipe itself: it polls for a short while, then waits
 * in a selector, using no CPU. Each messenger also runs a daemon reader thread that reads
 * whenever no receive has for a millisecond, so the other side never blocks on a full pipe
 * while this side is busy, and its end is seen at once; and a flusher thread that writes
 * bursts of sends in one system call. Receiving threads take turns at the channel queues,
 * and one of them at a time waits on the pipe for the others (see {@code ReceiveTurns}); sends
 * are serialised by a lock of their own, so one thread may send while another receives. See
 * {@link Messenger} for the full contract.
 */
public abstract sealed class PipeMessenger implements Messenger permits PriorityMessenger, MultiMessenger {

    static {
        MessengerAccess.install(new MessengerBridge());
    }

    private final Pipe pipe;
    private final Inbox inbox;
    /** The receive lock, which guards the channel queues and {@link #arrivals}; package access for tests. */
    final ReceiveTurns turns;
    /** How many data messages have been queued; guarded by the receive lock. */
    private long arrivals;
    private final ChannelCounters counters = new ChannelCounters();

    PipeMessenger(Pipe pipe) {
        this.pipe = pipe;
        this.inbox = pipe.inbox();
        this.turns = new ReceiveTurns(pipe);
    }

    /** Returns this messenger's pipe. */
    Pipe pipe() {
        return pipe;
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
        return kind.create(PipeConnector.open(channel, options, null));
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
        return kind.create(PipeConnector.accept(channel, options, null));
    }

    abstract void enqueue(Message<Object> message);

    abstract Message<Object> dequeue(Object channel);

    abstract int queued(Object channel);

    @Override
    public void sendNoRequest(Object data, Object channel) {
        sendData(data, channel, MessageKind.PLAIN);
    }

    @Override
    public void sendRequest(Object data, Object channel) {
        sendData(data, channel, MessageKind.REQUEST);
    }

    @Override
    public void sendReply(Object data, Object channel) {
        sendData(data, channel, MessageKind.REPLY);
    }

    private void sendData(Object data, Object channel, MessageKind kind) {
        double priority = Double.NaN;
        if (data instanceof Prioritized p) {
            priority = p.priority();
            if (Double.isNaN(priority)) {
                throw new IllegalArgumentException("Priority of " + data.getClass().getName()
                        + " is NaN; priorities must be comparable numbers. Nothing was sent");
            }
        }
        pipe.sendData(data, channel, kind, priority, counters.onSend(channel, kind));
    }

    @Override
    public void sendError(Throwable error) {
        pipe.sendError(Objects.requireNonNull(error, "error"));
    }

    @Override
    public void sendCloseRequest() {
        pipe.sendCloseRequest();
    }

    @Override
    public void flush() {
        pipe.flush();
    }

    @Override
    public int available(Object channel) {
        turns.lock(Long.MAX_VALUE);
        try {
            drain();
            return countOrFail(channel);
        } finally {
            turns.unlock();
        }
    }

    @Override
    public <T> List<T> receiveAvailable(Object channel) {
        return Payloads.of(this.<T>receiveAvailableMessages(channel));
    }

    @Override
    public <T> List<Message<T>> receiveAvailableMessages(Object channel) {
        turns.lock(Long.MAX_VALUE);
        try {
            drain();
            int n = countOrFail(channel);
            List<Message<T>> messages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                messages.add(pop(channel));
            }
            return messages;
        } finally {
            turns.unlock();
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
        return receive(channel, Deadlines.of(timeout), timeout);
    }

    private <T> Message<T> receive(Object channel, long deadline, Duration timeout) throws TimeoutException {
        if (!turns.lock(deadline)) {
            throw new TimeoutException("No message on channel " + channel + " within " + timeout);
        }
        try {
            while (true) {
                drain();
                if (queued(channel) > 0) {
                    return pop(channel);
                }
                failIfFinished();
                if (!turns.awaitNews(deadline)) {
                    throw new TimeoutException("No message on channel " + channel + " within " + timeout);
                }
            }
        } finally {
            turns.unlock();
        }
    }

    /** See {@link MessengerAccess.Bridge#receiveInArrivalOrder}. */
    <T> Message<T> receiveInArrivalOrder(Object channel) {
        turns.lock(Long.MAX_VALUE);
        try {
            while (true) {
                if (queued(channel) == 0 || pipe.isClosed()) {
                    drain(channel); // not with one queued: it would act on what came after it
                }
                if (queued(channel) > 0) {
                    return pop(channel);
                }
                failIfFinished();
                turns.awaitNews(Long.MAX_VALUE);
            }
        } finally {
            turns.unlock();
        }
    }

    @Override
    public <T> Iterable<T> receiveRemaining(Object channel) {
        return Payloads.of(this.<T>receiveRemainingMessages(channel));
    }

    @Override
    public <T> Iterable<Message<T>> receiveRemainingMessages(Object channel) {
        return Payloads.messages(this, channel);
    }

    /** See {@link MessengerAccess.Bridge#drainIfIdle}. */
    boolean drainIfIdle() {
        if (!turns.tryLock()) {
            return false;
        }
        try {
            drain();
            return true;
        } finally {
            turns.unlock();
        }
    }

    @Override
    public void awaitAvailable() {
        awaitUntil(Long.MAX_VALUE);
    }

    @Override
    public boolean awaitAvailable(Duration timeout) {
        return awaitUntil(Deadlines.of(timeout));
    }

    private boolean awaitUntil(long deadline) { // PIT's "return true" mutants here and in drainIfIdle: no change
        if (!turns.lock(deadline)) {
            return false;
        }
        try {
            long before = arrivals;
            while (true) {
                drain();
                if (arrivals != before) {
                    return true;
                }
                failIfFinished(); // what arrived was only the end of the stream
                if (!turns.awaitNews(deadline)) {
                    return false;
                }
            }
        } finally {
            turns.unlock();
        }
    }

    /** Moves the inbox into the queues, acting on signals as it meets them. */
    private void drain() {
        drain(DRAIN_ALL);
    }

    /** Stands for no channel in {@link #drain(Object)}: drain everything. */
    private static final Object DRAIN_ALL = new Object();

    /**
     * Moves the inbox into the queues, acting on signals as it meets them, up to and including
     * the first message on a channel.
     *
     * @param stopAfter the channel, or {@link #DRAIN_ALL}
     */
    private void drain(Object stopAfter) {
        if (pipe.isClosed()) {
            throw new PipeClosedException("This messenger is closed; it can neither send nor receive");
        }
        if (turns.someoneWaitsOnPipe()) {
            return; // it returns with what came, drains it and says so: taking it here would leave it waiting
        }
        if (inbox.isEmpty()) {
            pipe.pollFrames(); // not when frames wait: they were read just now, and a read costs a system call
        }
        InboxItem item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof InboxItem.Data data) {
                enqueue(data.message());
                arrivals++;
                if (stopAfter != DRAIN_ALL && Objects.equals(data.message().channel(), stopAfter)) {
                    return;
                }
            } else if (item instanceof InboxItem.CloseRequest) {
                throw new ResourceRequestedCloseException("The other side requested close");
            } else if (item instanceof InboxItem.RemoteError remote) {
                throw remote.rethrow();
            } else if (item instanceof InboxItem.Failure failure) {
                throw failure.error();
            } else if (item instanceof InboxItem.Undecodable undecodable) {
                pipe.reject(undecodable.description());
            }
        }
    }

    private int countOrFail(Object channel) {
        int n = queued(channel);
        if (n == 0) {
            failIfFinished();
        }
        return n;
    }

    /** Throws what ended the pipe, once every message that arrived before the end is queued. */
    private void failIfFinished() {
        RuntimeException end = inbox.finished();
        if (end != null) {
            throw end;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> Message<T> pop(Object channel) {
        Message<Object> message = dequeue(channel);
        counters.received(channel, message.reply());
        return (Message<T>) (Message<?>) message;
    }

    @Override
    public long requestsSent(Object channel) {
        return counters.get(channel, Count.REQUESTS_SENT);
    }

    @Override
    public long repliesReceived(Object channel) {
        return counters.get(channel, Count.REPLIES_RECEIVED);
    }

    @Override
    public long messagesSent(Object channel) {
        return counters.get(channel, Count.MESSAGES_SENT);
    }

    @Override
    public long messagesReceived(Object channel) {
        return counters.get(channel, Count.MESSAGES_RECEIVED);
    }

    @Override
    public int queueSize(Object channel) {
        turns.lock(Long.MAX_VALUE);
        try {
            return queued(channel);
        } finally {
            turns.unlock();
        }
    }

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
}
