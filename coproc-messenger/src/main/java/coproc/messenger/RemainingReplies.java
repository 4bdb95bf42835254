package coproc.messenger;

import coproc.api.Message;
import coproc.api.Messenger;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** The lazy iterables of {@link Messenger#receiveRemaining} and {@link Messenger#receiveRemainingMessages}. */
final class RemainingReplies {

    private RemainingReplies() {
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

    /** The payloads of the messages. */
    static <T> Iterable<T> payloads(Iterable<Message<T>> messages) {
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
