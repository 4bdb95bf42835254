package coproc.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One end of the pipe between a host and a worker: sends messages on channels and receives
 * them, ordered per channel.
 *
 * <h2>Channels</h2>
 * Every data message travels on a channel: any value with value equality that the active
 * serializer can carry (an enum constant, a {@code String}, an {@code Integer}, a record).
 * {@code null} is the default channel and a valid one; every method without a channel
 * parameter uses it. Each channel has its own queue and its own counters.
 *
 * <h2>Sending</h2>
 * <table class="striped">
 *   <caption>Send methods</caption>
 *   <thead><tr><th>method</th><th>sends</th><th>counts</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #sendNoRequest}</td><td>a data message</td><td>a message sent</td></tr>
 *   <tr><td>{@link #sendRequest}</td><td>a data message flagged as a request</td>
 *       <td>a message and a request sent</td></tr>
 *   <tr><td>{@link #sendRequestMultiple}</td><td>{@code sendRequest} for each element</td>
 *       <td>as {@code sendRequest}</td></tr>
 *   <tr><td>{@link #sendReply}</td><td>a data message flagged as a reply</td>
 *       <td>a message sent</td></tr>
 *   <tr><td>{@link #sendError}</td><td>a system message: the other side's next receive
 *       throws the exception</td><td>nothing</td></tr>
 *   <tr><td>{@link #sendCloseRequest}</td><td>a system message: the other side's next
 *       receive throws {@link ResourceRequestedCloseException}</td><td>nothing</td></tr>
 *   </tbody>
 * </table>
 * A send returns once the message is written to the pipe, or, during a burst of sends, once
 * it is queued for a flusher thread that writes within microseconds; it blocks only while the
 * pipe's buffers are full. A payload that cannot be serialized fails the send with
 * {@link SerializationException} and nothing is written: the messenger stays usable.
 *
 * <h2>Receiving</h2>
 * Every receive first moves what has arrived on the pipe into the per-channel queues.
 * System messages bypass the queues: an error or a close request is thrown by whichever
 * receive drains it, whatever channel that receive asked about. Data messages stay queued
 * until a receive on their channel pops them.
 * <table class="striped">
 *   <caption>Receive methods</caption>
 *   <thead><tr><th>method</th><th>blocks?</th><th>returns</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@link #available}</td><td>no</td><td>how many messages are queued on the
 *       channel</td></tr>
 *   <tr><td>{@link #receiveAvailable}</td><td>no</td><td>every queued message of the channel,
 *       in queue order; an empty list if none</td></tr>
 *   <tr><td>{@link #receiveBlocking}</td><td>until the channel has a message (optionally with
 *       a timeout)</td><td>the first message of the channel's queue</td></tr>
 *   <tr><td>{@link #receiveRemaining}</td><td>lazily, per element</td><td>the replies
 *       outstanding on the channel, one {@code receiveBlocking} each, while
 *       {@link #remaining} is positive</td></tr>
 *   <tr><td>{@link #awaitAvailable}</td><td>until anything arrives (optionally with a
 *       timeout)</td><td>nothing: what arrived is queued</td></tr>
 *   </tbody>
 * </table>
 * "No" means the call does not wait for messages to arrive. Receives from several threads
 * take turns at the channel queues, briefly: a thread that waits for its channel does not hold
 * up the others, so a receive returns as soon as its own message has arrived, whatever other
 * threads wait for, and a timed receive returns within its timeout (plus the few microseconds
 * of another thread's drain) whatever other threads do.
 * The {@code *Message*} variants return the whole {@link Message} rather than the payload.
 * The payload-returning methods are generic for convenience: the payload is cast to the type
 * the caller expects, so a wrong expectation fails with {@link ClassCastException} where the
 * value is used. Where the expected type is not obvious to the compiler, name it:
 * {@code List.of(messenger.receiveBlocking())} infers an array and fails at run time, while
 * {@code List.of(messenger.<String>receiveBlocking())} or a typed local variable works.
 *
 * <h2>Ordering</h2>
 * A priority messenger returns the messages of one channel in ascending
 * {@linkplain Prioritized priority}, first in first out among equal priorities; a multi
 * messenger returns them first in, first out. Messages of one channel never overtake each
 * other except by priority. Messages sent by one thread arrive in the order it sent them.
 *
 * <h2>Counting</h2>
 * Sends count when they are accepted (encoded, before they are written). Receipt counts when a message is popped from its queue:
 * every popped message counts a message received on its channel, and a popped reply also
 * counts a reply received. {@link #remaining} is requests sent minus replies received.
 *
 * <h2>Failures</h2>
 * When the other side has gone, receives first return every message that arrived before the
 * end of the stream, then throw a {@link PipeClosedException} (a {@link WorkerDiedException}
 * on a host whose worker died). Undecodable input throws a {@link PipeException} subclass
 * that names the problem. No receive hangs once the other side has gone.
 *
 * <h2>Thread safety</h2>
 * Sends are safe from any number of threads at once. Receives and counters are meant for one
 * receiving thread at a time; concurrent receives are serialised by an internal lock. Actions
 * of a thread before it sends a message happen-before the receipt of that message by the
 * receiving thread of the same messenger pair.
 */
public interface Messenger extends AutoCloseable {

    // ---- sending ----

    /**
     * Sends a data message on the default channel.
     *
     * @param data the payload, possibly {@code null}
     * @throws SerializationException if the payload cannot be serialized (nothing is sent)
     * @throws PipeException if the pipe is closed or broken
     */
    default void sendNoRequest(Object data) {
        sendNoRequest(data, null);
    }

    /**
     * Sends a data message on a channel.
     *
     * @param data the payload, possibly {@code null}
     * @param channel the channel, {@code null} for the default
     * @throws SerializationException if the payload or channel cannot be serialized
     * @throws PipeException if the pipe is closed or broken
     */
    void sendNoRequest(Object data, Object channel);

    /**
     * Sends a request on the default channel: a data message flagged as a request, counted
     * in {@link #requestsSent} and {@link #remaining}.
     *
     * @param data the payload, possibly {@code null}
     * @throws SerializationException if the payload cannot be serialized (nothing is sent or
     *     counted)
     * @throws PipeException if the pipe is closed or broken
     */
    default void sendRequest(Object data) {
        sendRequest(data, null);
    }

    /**
     * Sends a request on a channel.
     *
     * @param data the payload, possibly {@code null}
     * @param channel the channel, {@code null} for the default
     * @throws SerializationException if the payload or channel cannot be serialized
     * @throws PipeException if the pipe is closed or broken
     */
    void sendRequest(Object data, Object channel);

    /**
     * Sends each element as a request on the default channel, in iteration order.
     *
     * @param data the payloads
     * @throws SerializationException if an element cannot be serialized; the elements
     *     before it have been sent
     * @throws PipeException if the pipe is closed or broken
     */
    default void sendRequestMultiple(Iterable<?> data) {
        sendRequestMultiple(data, null);
    }

    /**
     * Sends each element as a request on a channel, in iteration order.
     *
     * @param data the payloads
     * @param channel the channel, {@code null} for the default
     * @throws SerializationException if an element cannot be serialized; the elements
     *     before it have been sent
     * @throws PipeException if the pipe is closed or broken
     */
    default void sendRequestMultiple(Iterable<?> data, Object channel) {
        for (Object item : data) {
            sendRequest(item, channel);
        }
    }

    /**
     * Sends a reply on the default channel: a data message flagged as a reply, which the
     * other side counts in its {@link #repliesReceived} when it pops it.
     *
     * @param data the payload, possibly {@code null}
     * @throws SerializationException if the payload cannot be serialized
     * @throws PipeException if the pipe is closed or broken
     */
    default void sendReply(Object data) {
        sendReply(data, null);
    }

    /**
     * Sends a reply on a channel.
     *
     * @param data the payload, possibly {@code null}
     * @param channel the channel, {@code null} for the default
     * @throws SerializationException if the payload or channel cannot be serialized
     * @throws PipeException if the pipe is closed or broken
     */
    void sendReply(Object data, Object channel);

    /**
     * Sends an exception that the other side's next receive throws, ahead of any queued
     * data. An unchecked exception whose class the other side has arrives as itself, with
     * its stack trace and causes; a checked one, or one that cannot be serialized, arrives as
     * a {@link RemoteWorkerException} naming its class and carrying its message and stack
     * trace. Exceptions travel with JDK serialization whatever the data serializer is.
     *
     * @param error the exception to raise on the other side
     * @throws NullPointerException if {@code error} is null
     * @throws PipeException if the pipe is closed or broken
     */
    void sendError(Throwable error);

    /**
     * Asks the other side to close: its next receive throws
     * {@link ResourceRequestedCloseException}, ahead of any queued data.
     *
     * @throws PipeException if the pipe is closed or broken
     */
    void sendCloseRequest();

    // ---- receiving ----

    /**
     * Moves what has arrived into the queues, without blocking, and returns how many
     * messages are queued on the default channel.
     *
     * @return the number of queued messages on the default channel
     * @throws RuntimeException whatever system message was drained (see the class
     *     documentation), or a {@link PipeException} if the pipe failed
     */
    default int available() {
        return available(null);
    }

    /**
     * Moves what has arrived into the queues, without blocking, and returns how many
     * messages are queued on a channel.
     *
     * @param channel the channel, {@code null} for the default
     * @return the number of queued messages on the channel
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed
     */
    int available(Object channel);

    /**
     * Moves what has arrived into the queues, without blocking, and pops every message
     * queued on the default channel.
     *
     * @param <T> the payload type the caller expects
     * @return the payloads in queue order; empty if none
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed
     */
    default <T> List<T> receiveAvailable() {
        return receiveAvailable(null);
    }

    /**
     * Moves what has arrived into the queues, without blocking, and pops every message
     * queued on a channel.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the payloads in queue order; empty if none
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed
     */
    <T> List<T> receiveAvailable(Object channel);

    /**
     * As {@link #receiveAvailable(Object)}, returning whole messages.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the messages in queue order; empty if none
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed
     */
    <T> List<Message<T>> receiveAvailableMessages(Object channel);

    /**
     * Blocks until the default channel has a message, then pops it.
     *
     * @param <T> the payload type the caller expects
     * @return the payload
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     * @throws CoprocException if the thread is interrupted (the interrupt flag stays set)
     */
    default <T> T receiveBlocking() {
        return receiveBlocking((Object) null);
    }

    /**
     * Blocks until a channel has a message, then pops it. While it waits it moves everything
     * that arrives into the queues, so of what has arrived the best-priority message wins.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the payload
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     * @throws CoprocException if the thread is interrupted (the interrupt flag stays set)
     */
    default <T> T receiveBlocking(Object channel) {
        return this.<T>receiveMessageBlocking(channel).payload();
    }

    /**
     * Blocks until the default channel has a message or the timeout elapses. A channel that
     * is itself a {@link Duration} needs {@link #receiveBlocking(Object, Duration)}.
     *
     * @param <T> the payload type the caller expects
     * @param timeout how long to wait at most
     * @return the payload
     * @throws TimeoutException if no message came in time (nothing is popped)
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     */
    default <T> T receiveBlocking(Duration timeout) throws TimeoutException {
        return receiveBlocking(null, timeout);
    }

    /**
     * Blocks until a channel has a message or the timeout elapses.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @param timeout how long to wait at most
     * @return the payload
     * @throws TimeoutException if no message came in time (nothing is popped)
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     */
    default <T> T receiveBlocking(Object channel, Duration timeout) throws TimeoutException {
        return this.<T>receiveMessageBlocking(channel, timeout).payload();
    }

    /**
     * As {@link #receiveBlocking(Object)}, returning the whole message.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the message
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     */
    <T> Message<T> receiveMessageBlocking(Object channel);

    /**
     * As {@link #receiveBlocking(Object, Duration)}, returning the whole message.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @param timeout how long to wait at most
     * @return the message
     * @throws TimeoutException if no message came in time
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     */
    <T> Message<T> receiveMessageBlocking(Object channel, Duration timeout) throws TimeoutException;

    /**
     * Lazily receives the replies outstanding on the default channel.
     *
     * @param <T> the payload type the caller expects
     * @return an iterable whose iterator calls {@link #receiveBlocking(Object)} for each
     *     element while {@link #remaining(Object)} is positive
     */
    default <T> Iterable<T> receiveRemaining() {
        return receiveRemaining(null);
    }

    /**
     * Lazily receives the replies outstanding on a channel: each step of the returned
     * iterable's iterator calls {@link #receiveBlocking(Object)} while
     * {@link #remaining(Object)} is positive. Nothing is received before iteration starts.
     * Usable in a for-each loop; its iterator throws what {@code receiveBlocking} throws.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the lazy iterable
     */
    <T> Iterable<T> receiveRemaining(Object channel);

    /**
     * As {@link #receiveRemaining(Object)}, yielding whole messages.
     *
     * @param <T> the payload type the caller expects
     * @param channel the channel, {@code null} for the default
     * @return the lazy iterable
     */
    <T> Iterable<Message<T>> receiveRemainingMessages(Object channel);

    /**
     * Blocks until at least one message (data or system) arrives on any channel, then moves
     * everything that has arrived into the queues. Returns at once if something has arrived
     * but is not queued yet.
     *
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     * @throws CoprocException if the thread is interrupted (the interrupt flag stays set)
     */
    void awaitAvailable();

    /**
     * As {@link #awaitAvailable()}, waiting at most the timeout.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if something arrived, {@code false} if the timeout elapsed first
     * @throws RuntimeException whatever system message was drained, or a
     *     {@link PipeException} if the pipe failed or the other side went away
     */
    boolean awaitAvailable(Duration timeout);

    // ---- counters ----

    /**
     * Returns the requests sent minus the replies received (popped) on the default channel.
     *
     * @return the number of outstanding replies
     */
    default long remaining() {
        return remaining(null);
    }

    /**
     * Returns the requests sent minus the replies received (popped) on a channel.
     *
     * @param channel the channel, {@code null} for the default
     * @return the number of outstanding replies
     */
    default long remaining(Object channel) {
        return requestsSent(channel) - repliesReceived(channel);
    }

    /**
     * Returns how many requests were sent on a channel.
     *
     * @param channel the channel, {@code null} for the default
     * @return the count
     */
    long requestsSent(Object channel);

    /**
     * Returns how many replies were popped from a channel's queue.
     *
     * @param channel the channel, {@code null} for the default
     * @return the count
     */
    long repliesReceived(Object channel);

    /**
     * Returns how many data messages were sent on a channel.
     *
     * @param channel the channel, {@code null} for the default
     * @return the count
     */
    long messagesSent(Object channel);

    /**
     * Returns how many data messages were popped from a channel's queue.
     *
     * @param channel the channel, {@code null} for the default
     * @return the count
     */
    long messagesReceived(Object channel);

    /**
     * Returns how many messages are queued on a channel now, without draining the pipe.
     *
     * @param channel the channel, {@code null} for the default
     * @return the queue size
     */
    int queueSize(Object channel);

    // ---- life ----

    /**
     * Blocks until every message that any thread sent before this call has been written to
     * the pipe, that is, handed to the operating system, which delivers it even if this process
     * dies right after. Sends already write a lone message before they return; during a burst,
     * messages may wait a few microseconds for the flusher thread, and this is the call for code
     * that must be sure (before {@code System.exit}, say; a worker JVM also flushes when it
     * exits normally or by {@code System.exit}). Thread-safe; blocks while the pipe is full.
     *
     * @throws PipeException if the pipe is closed or broken, or stays full for a second
     */
    void flush();

    /**
     * Returns whether {@link #close()} was called. A messenger whose other side has gone is not
     * closed: it still returns what arrived before, then its receives and sends throw.
     *
     * @return {@code true} once {@code close()} was called
     */
    boolean isClosed();

    /**
     * Closes this end of the pipe. The other side's receives, once they have returned what
     * arrived before, throw {@link PipeClosedException}. Idempotent; never throws.
     */
    @Override
    void close();
}
