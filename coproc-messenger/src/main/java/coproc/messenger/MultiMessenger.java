package coproc.messenger;

import coproc.api.Message;
import coproc.messenger.internal.Pipe;
import coproc.queue.MultiQueue;

/**
 * A messenger whose channels are first-in, first-out queues: priorities are carried in each
 * {@link Message} but do not reorder anything. See {@link coproc.api.Messenger} for the
 * contract.
 */
public final class MultiMessenger extends PipeMessenger {

    private final MultiQueue<Message<Object>> queues = new MultiQueue<>();

    MultiMessenger(Pipe pipe) {
        super(pipe);
    }

    /**
     * Opens two connected multi messengers in this JVM, over a Unix domain socket, with the
     * default options.
     *
     * @return the pair: worker side, host side
     */
    public static MessengerPair<MultiMessenger> newPair() {
        return newPair(MessengerOptions.defaults());
    }

    /**
     * Opens two connected multi messengers in this JVM.
     *
     * @param options the options of both
     * @return the pair: worker side, host side
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public static MessengerPair<MultiMessenger> newPair(MessengerOptions options) {
        @SuppressWarnings("unchecked") // MessengerKind.MULTI makes MultiMessengers
        MessengerPair<MultiMessenger> pair = (MessengerPair<MultiMessenger>) (MessengerPair<?>) MessengerKind.MULTI.newPair(options);
        return pair;
    }

    @Override
    void enqueue(Message<Object> message) {
        queues.put(message.channel(), message);
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
