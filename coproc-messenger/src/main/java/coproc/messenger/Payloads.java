package coproc.messenger;

import coproc.api.Message;
import coproc.api.Messenger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The payload views of a messenger's receives: the lazy iterables of
 * {@link Messenger#receiveRemaining} and {@link Messenger#receiveRemainingMessages}, and the
 * payloads of a list of messages.
 */
final class Payloads {

    private Payloads() {
    }

    /** Yields blocking receives of a channel while it has requests without replies. */
    static <T> Iterable<Message<T>> messages(Messenger messenger, Object channel) {
        return () -> new Iterator<Message<T>>() {
            @Override
            public boolean hasNext() {
                return messenger.remaining(channel) > 0;
            }

            @Override
            public Message<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("No replies remaining on channel " + channel);
                }
                return messenger.receiveMessageBlocking(channel);
            }
        };
    }

    /** The payloads of messages, in their order. */
    static <T> List<T> of(List<Message<T>> messages) {
        List<T> payloads = new ArrayList<>(messages.size());
        for (Message<T> message : messages) {
            payloads.add(message.payload());
        }
        return payloads;
    }

    /** The payloads of the messages, lazily. */
    static <T> Iterable<T> of(Iterable<Message<T>> messages) {
        return () -> {
            Iterator<Message<T>> each = messages.iterator();
            return new Iterator<T>() {
                @Override
                public boolean hasNext() {
                    return each.hasNext();
                }

                @Override
                public T next() {
                    return each.next().payload();
                }
            };
        };
    }
}
