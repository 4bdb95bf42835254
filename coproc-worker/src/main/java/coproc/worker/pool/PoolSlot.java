package coproc.worker.pool;

import coproc.api.FrameTooLongException;
import coproc.api.Messenger;
import coproc.api.PipeException;
import coproc.api.SerializationException;
import coproc.worker.WorkerResource;
import coproc.worker.pool.internal.PoolWorkerTarget;
import coproc.worker.pool.internal.Wire;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One worker of a {@link WorkerPool} and the host thread that serves it: takes tasks from
 * the pool's queue, sends them, receives their results and hands them to their calls; when the
 * worker dies, starts a new one and puts its unfinished tasks back in the queue.
 *
 * <p>The thread blocks in the queue while the worker has nothing to do, and in a receive while
 * it computes: it never polls. It keeps up to two tasks with the worker, more when they are
 * small (up to {@value #SMALL_ITEMS} items, topped up in bursts and sent in one frame), so that
 * the worker need not wait for the host between tasks. A suspect task (see {@link PoolTask})
 * goes alone.
 *
 * <p>Only the slot's thread uses the fields below, except {@link #messenger}, which other
 * threads read to send cancellations (sends are thread-safe).
 */
final class PoolSlot {

    private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());
    /**
     * How many functions a worker keeps: more than the tasks of one batch can name, so that
     * loading a batch's functions never drops one of them.
     */
    private static final int FUNCTIONS_KEPT = 128;
    /** Up to this many items in flight, more tasks may be in flight than two. */
    private static final int SMALL_ITEMS = 64;
    private static final int MAX_IN_FLIGHT = 64;
    /**
     * Small tasks are sent again only once the items in flight fall to this: then many at
     * once, which the messenger writes together, rather than one write per task.
     */
    private static final int REFILL_ITEMS = SMALL_ITEMS / 2;

    private final int index;
    private final TaskQueue queue;
    private final WorkerResource<Void> worker;
    private final int triesPerChunk;
    private final Thread thread;
    private volatile Messenger messenger;
    private ReplyReader replies;
    /**
     * Tasks with the worker, by ticket: consecutive numbers from 0 for each worker, in the
     * order the worker computes them.
     */
    private final Ring<Sent> inFlight = new Ring<>(0);
    /** The ids of the functions the worker keeps, least recently used first. */
    private final LinkedHashMap<Long, Boolean> functions = new LinkedHashMap<>(16, 0.75f, true);
    private int itemsInFlight;
    /** The ticket of a suspect task with the worker, alone, or -1. */
    private long suspectTicket = -1;

    /** A task with the worker, and the pieces of its results that have arrived. */
    private record Sent(PoolTask task, Pieces results) {
    }

    PoolSlot(int index, TaskQueue queue, PoolOptions options) {
        this.index = index;
        this.queue = queue;
        this.worker = new WorkerResource<>(PoolWorkerTarget::run, options.workerOptions());
        this.triesPerChunk = options.triesPerChunk();
        this.thread = new Thread(this::serve, "coproc-pool-worker-" + index);
        thread.setDaemon(true);
    }

    WorkerResource<Void> worker() {
        return worker;
    }

    /** Starts serving; the worker must have been started. */
    void startServing() {
        connect();
        thread.start();
    }

    /** Asks the worker to skip a call's chunks; best effort, from any thread. */
    void cancel(long call) {
        Messenger current = messenger;
        if (current != null) {
            try {
                current.sendNoRequest(new Wire.Cancel(call), Wire.CONTROL);
            } catch (RuntimeException ignored) {
                // the worker is being replaced; the new one never had the call's chunks
            }
        }
    }

    /** Stops serving, once the queue is closed, and waits for the worker to be stopped. */
    void stop() throws InterruptedException {
        synchronized (this) {
            if (interruptible) { // not once serve() is stopping the worker: its stop ladder must wait
                thread.interrupt();
            }
        }
        thread.join();
    }

    /** Whether stop() may interrupt the serving thread; guarded by this. */
    private boolean interruptible = true;

    private void connect() {
        messenger = worker.messenger();
        replies = new ReplyReader(messenger);
    }

    private void serve() {
        try {
            boolean serving = true;
            while (serving && !queue.isClosed()) {
                try {
                    fill();
                    if (!inFlight.isEmpty()) {
                        serving = handle(replies.next());
                    }
                } catch (PipeException e) {
                    serving = queue.isClosed() || lost(e);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            if (!queue.isClosed()) {
                LOG.log(Level.ERROR, "Worker " + index + " of the pool stopped serving", e);
                queue.retire(e instanceof RuntimeException r ? r : new IllegalStateException(e));
            }
        } finally {
            List<PoolTask> unfinished = new ArrayList<>();
            inFlight.forEach(sent -> unfinished.add(sent.task()));
            queue.addFirst(unfinished); // for the other workers, or failed if the pool is closed or broken
            synchronized (this) {
                interruptible = false;
                Thread.interrupted(); // so that the stop ladder below waits as it should
            }
            ParallelStart.closeQuietly(worker);
        }
    }

    /** Sends tasks while the worker may take more: blocks for one only if it has none. */
    private void fill() throws InterruptedException {
        if (suspectTicket >= 0 || inFlight.size() >= 2 && itemsInFlight > REFILL_ITEMS) {
            return;
        }
        List<PoolTask> tasks = new ArrayList<>();
        int count = inFlight.size();
        int items = itemsInFlight;
        while (count < MAX_IN_FLIGHT && (count < 2 || items < SMALL_ITEMS)) {
            PoolTask task = count == 0 ? queue.take() : queue.poll();
            if (task == null) {
                break;
            }
            if (task.call().isOver()) {
                continue;
            }
            if (task.suspect() && count > 0) {
                queue.addFirst(List.of(task)); // a suspect goes alone, once the worker has nothing
                break;
            }
            tasks.add(task);
            count++;
            items += task.items().size();
            if (task.suspect()) {
                break;
            }
        }
        sendAll(tasks);
    }

    /**
     * Sends tasks, in batches of half the small items at most, so that the worker's replies to
     * one come back while it computes the next: the two sides overlap rather than take turns.
     * If the pipe fails, puts every task not yet sent back in the queue, and throws.
     */
    private void sendAll(List<PoolTask> tasks) {
        int next = 0; // the first task not yet sent
        try {
            while (next < tasks.size()) {
                List<PoolTask> batch = tasks.subList(next, Math.min(tasks.size(), next + REFILL_ITEMS));
                if (batch.size() > 1 && sendBatch(batch)) {
                    next += batch.size();
                    continue;
                }
                for (PoolTask task : batch) { // one by one, each split as it needs
                    sendOne(task);
                    next++;
                }
            }
        } catch (PipeException e) {
            queue.addFirst(new ArrayList<>(tasks.subList(next, tasks.size())));
            throw e;
        }
    }

    /** Sends a task, or, if it does not fit in a frame or serialize, splits it. */
    private void sendOne(PoolTask task) {
        try {
            load(task.call().function());
            messenger.sendRequest(chunk(inFlight.nextKey(), task), Wire.TASKS);
        } catch (FrameTooLongException | SerializationException e) {
            tooLarge(task, e);
            return;
        }
        sent(task);
    }

    /**
     * Sends tasks in one frame, which costs the worker and this thread one receive for all.
     *
     * @return whether they were sent; not if together they do not fit in a frame or serialize
     */
    private boolean sendBatch(List<PoolTask> tasks) {
        List<Object> chunks = new ArrayList<>(tasks.size());
        try {
            for (PoolTask task : tasks) {
                load(task.call().function());
                chunks.add(chunk(inFlight.nextKey() + chunks.size(), task));
            }
            messenger.sendRequest(new Wire.Batch(chunks), Wire.TASKS);
        } catch (FrameTooLongException | SerializationException e) {
            return false;
        }
        tasks.forEach(this::sent);
        return true;
    }

    private static Wire.Chunk chunk(long ticket, PoolTask task) {
        return new Wire.Chunk(ticket, task.call().id(), task.call().function().id(), task.items());
    }

    /** Records a task sent under the next ticket. */
    private void sent(PoolTask task) {
        long ticket = inFlight.add(new Sent(task, new Pieces(task.items().size())));
        itemsInFlight += task.items().size();
        if (task.suspect()) {
            suspectTicket = ticket;
        }
    }

    /** Sends the worker a function it does not keep, telling it which one to drop if it keeps too many. */
    private void load(FunctionTable.Entry function) {
        if (functions.get(function.id()) != null) {
            return;
        }
        long forget = -1;
        if (functions.size() >= FUNCTIONS_KEPT) {
            Iterator<Long> eldest = functions.keySet().iterator();
            forget = eldest.next();
            eldest.remove();
        }
        messenger.sendNoRequest(new Wire.LoadFunction(function.id(), function.bytes(), forget), Wire.TASKS);
        functions.put(function.id(), Boolean.TRUE);
    }

    /** A task that does not fit in a frame, or does not serialize: halves it, down to the item at fault. */
    private void tooLarge(PoolTask task, RuntimeException e) {
        if (task.items().size() > 1) {
            queue.addFirst(List.of(task.firstHalf(), task.secondHalf()));
        } else {
            task.call().failItem(task.firstItem(), e);
        }
    }

    /** Acts on a reply; returns whether to go on serving. */
    private boolean handle(Object reply) {
        if (reply instanceof Wire.Done done) {
            Sent sent = inFlight.get(done.ticket());
            List<Object> results = sent == null ? null : sent.results().add(done.offset(), done.results());
            if (results != null) {
                finish(done.ticket());
                PoolTask task = sent.task();
                task.call().complete(task.chunk(), task.offset(), results, done.nanos());
            }
        } else if (reply instanceof Wire.Skipped skipped) {
            finish(skipped.ticket());
        } else if (reply instanceof ReplyReader.ItemError error) {
            Sent sent = finish(error.failed().ticket());
            if (sent != null) {
                sent.task().call().failItem(sent.task().firstItem() + error.failed().offset(), error.cause());
            }
        } else if (reply instanceof ReplyReader.Rejected rejected) {
            return rejected(rejected);
        } else if (reply instanceof ReplyReader.Lost lost) {
            return queue.isClosed() || lost(lost.cause());
        }
        return true;
    }

    /**
     * The worker dropped a message it could not decode, and goes on: if it had one task, that
     * was it, and its call fails at once (decoding it again would fail again); if it had
     * several, the worker is treated as lost, so that each is sent again alone to find it.
     *
     * @return whether to go on serving
     */
    private boolean rejected(ReplyReader.Rejected rejected) {
        if (inFlight.size() != 1) {
            return queue.isClosed() || lost(rejected.cause());
        }
        PoolTask task = finish(inFlight.lowestKey()).task();
        task.call().fail(() -> rejected.exception(task.chunk(), task.firstItem(), task.items().size()));
        return true;
    }

    private Sent finish(long ticket) {
        Sent sent = inFlight.remove(ticket);
        if (sent != null) {
            itemsInFlight -= sent.task().items().size();
        }
        if (ticket == suspectTicket) {
            suspectTicket = -1;
        }
        return sent;
    }

    /**
     * The worker died or its pipe failed: puts its tasks back, or fails their calls past the
     * tries, and starts a new worker. If the worker had one task, that task counts a loss; if
     * it had several, none does (the worker holds small results back for a moment, so which
     * one it was computing is not known), and each is sent again alone.
     *
     * @return whether a new worker is serving; if not, this slot has retired
     */
    private boolean lost(Throwable cause) {
        List<PoolTask> again = new ArrayList<>();
        boolean alone = inFlight.size() == 1;
        inFlight.forEach(sent -> {
            PoolTask task = alone ? sent.task().lost() : sent.task().suspected();
            if (task.losses() >= triesPerChunk) {
                task.call().fail(() -> new ChunkLostException(task.chunk(), task.firstItem(), task.items().size(),
                        task.losses(), cause));
            } else {
                again.add(task);
            }
        });
        LOG.log(Level.WARNING, () -> "Worker " + index + " of the pool was lost (" + cause.getMessage()
                + "); starting a new one, and sending its " + again.size() + " unfinished chunks again");
        inFlight.clear(0); // a new worker, whose tickets start again from 0
        itemsInFlight = 0;
        suspectTicket = -1;
        functions.clear();
        queue.addFirst(again);
        try {
            ParallelStart.closeQuietly(worker);
            worker.start();
            connect();
            return true;
        } catch (RuntimeException e) {
            if (!queue.isClosed()) {
                LOG.log(Level.ERROR, "Worker " + index + " of the pool could not be restarted; the pool goes on"
                        + " without it", e);
                queue.retire(e);
            }
            return false;
        }
    }
}
