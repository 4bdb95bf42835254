package coproc.worker.pool;

import coproc.api.CoprocException;
import coproc.api.Messenger;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Feeds items as requests to whichever of several workers is free and yields their replies as
 * they arrive: one feeding thread per worker sends an item, blocks for its reply, and takes the
 * next item. At most two replies per worker wait to be consumed; past that, the feeding
 * threads wait for the consumer. A failure (an exception a receive threw) ends the feeding,
 * once each thread has its reply; the stream throws it.
 */
final class MessageMapper {

    /** A feeding thread's end: its failure, or null. */
    private record End(Throwable failure) {
    }

    private final List<Messenger> messengers;
    private final Object channel;
    private final Iterator<?> items;
    private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private volatile boolean stopped;
    private int ended;

    private MessageMapper(List<Messenger> messengers, Iterator<?> items, Object channel) {
        this.messengers = messengers;
        this.items = items;
        this.channel = channel;
        this.room = new Semaphore(2 * messengers.size());
    }

    /**
     * Starts feeding and returns the replies.
     *
     * @param <R> the type of the replies
     * @param messengers the workers' messengers, which nothing else may receive from on the
     *     channel meanwhile
     * @param items the requests, iterated once, lazily, by the feeding threads in turn
     * @param channel the channel of the requests and the replies
     * @return the replies, lazily, in the order they arrive
     */
    static <R> Stream<R> map(List<Messenger> messengers, Iterable<?> items, Object channel) {
        MessageMapper mapper = new MessageMapper(messengers, items.iterator(), channel);
        for (int i = 0; i < messengers.size(); i++) {
            Messenger messenger = messengers.get(i);
            Thread feeder = new Thread(() -> mapper.feed(messenger), "coproc-map-messages-" + i);
            feeder.setDaemon(true);
            feeder.start();
        }
        return ResultStream.of(mapper::next, mapper::stop);
    }

    private void feed(Messenger messenger) {
        Throwable failure = null;
        try {
            while (true) {
                room.acquire();
                Object[] item = nextItem();
                if (item == null) {
                    break;
                }
                messenger.sendRequest(item[0], channel);
                arrived.add(Collections.singletonList(messenger.receiveBlocking(channel)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            stopped = true;
        } finally {
            arrived.add(new End(failure));
        }
    }

    /** The next item in a holder (items may be null), or null when there are no more or feeding stopped. */
    private Object[] nextItem() {
        synchronized (items) {
            return !stopped && items.hasNext() ? new Object[] {items.next()} : null;
        }
    }

    /** The next reply as a batch of one; null when every feeding thread has ended. */
    @SuppressWarnings("unchecked")
    private List<Object> next() {
        try {
            while (ended < messengers.size()) {
                Object next = arrived.take();
                if (next instanceof End end) {
                    ended++;
                    if (end.failure() instanceof RuntimeException failure) {
                        throw failure;
                    } else if (end.failure() instanceof Error failure) {
                        throw failure;
                    } else if (end.failure() != null) {
                        throw new CoprocException("A request could not be fed: " + end.failure(), end.failure());
                    }
                } else {
                    room.release();
                    return (List<Object>) next;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new CoprocException("Interrupted while waiting for a reply; the feeding was stopped");
        }
    }

    /** Stops feeding: each thread ends once its reply, if it waits for one, has arrived. */
    private void stop() {
        stopped = true;
        room.release(messengers.size());
    }
}
