package coproc.messenger;

import coproc.api.Message;
import coproc.messenger.internal.Pipe;
import coproc.queue.PriorityMultiQueue;

/**
 * A messenger whose channels are priority queues: each channel returns its messages in
 * ascending {@linkplain coproc.api.Prioritized priority}, first in first out among equal
 * priorities. Payloads that are not {@code Prioritized} have priority negative infinity.
 * The default messenger of a worker. See {@link coproc.api.Messenger} for the contract.
 */
public final class PriorityMessenger extends PipeMessenger {

    private final PriorityMultiQueue<Message<Object>> queues = new PriorityMultiQueue<>();

    PriorityMessenger(Pipe pipe) {
        super(pipe);
    }

    /**
     * Opens two connected priority messengers in this JVM, over a Unix domain socket, with
     * the default options.
     *
     * @return the pair: worker side, host side
     */
    public static MessengerPair<PriorityMessenger> newPair() {
        return newPair(MessengerOptions.defaults());
    }

    /**
     * Opens two connected priority messengers in this JVM.
     *
     * @param options the options of both
     * @return the pair: worker side, host side
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static MessengerPair<PriorityMessenger> newPair(MessengerOptions options) {
        @SuppressWarnings("unchecked") // MessengerKind.PRIORITY makes PriorityMessengers
        MessengerPair<PriorityMessenger> pair = (MessengerPair<PriorityMessenger>) (MessengerPair<?>) MessengerKind.PRIORITY.newPair(options);
        return pair;
    }

    @Override
    void enqueue(Message<Object> message) {
        queues.put(message.channel(), message, message.priority());
    }

    @Override
    Message<Object> dequeue(Object channel) {
        return queues.get(channel);
    }

    @Override
    int queued(Object channel) {
        return queues.size(channel);
    }
}
