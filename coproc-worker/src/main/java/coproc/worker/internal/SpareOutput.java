package coproc.worker.internal;

import coproc.messenger.internal.Closeables;
import java.util.function.Consumer;

/**
 * Where a spare JVM's standard output or standard error goes: nowhere yet while the spare
 * waits (what it writes meanwhile, up to {@value #LIMIT} characters, is kept), and to the
 * sink of the start that takes it once taken, the kept text first; so the start's sink sees
 * what it would have seen from a worker started cold. Closing it closes the sink, if that is
 * {@link AutoCloseable}, now or when one is attached. Thread-safe: one pump thread writes, a
 * start attaches.
 */
final class SpareOutput implements Consumer<String>, AutoCloseable {

    /** At most this many characters are kept before a sink is attached; more are dropped. */
    static final int LIMIT = 64 * 1024;

    /** Guards every field; held while text is handed to the sink, so that it keeps its order. */
    private final Object lock = new Object();
    private final StringBuilder kept = new StringBuilder();
    private Consumer<String> sink;
    private boolean closed;

    @Override
    public void accept(String text) {
        synchronized (lock) {
            if (sink != null) {
                sink.accept(text);
            } else {
                kept.append(text, 0, Math.min(text.length(), Math.max(0, LIMIT - kept.length())));
            }
        }
    }

    /**
     * Sends the kept text, and all text that follows, to a sink.
     *
     * @param to the sink of the start that took the spare
     */
    void attach(Consumer<String> to) {
        synchronized (lock) {
            sink = to;
            if (kept.length() > 0) {
                String text = kept.toString();
                kept.setLength(0); // frees it: once attached nothing reads it (so a mutant that removes this survives)
                try {
                    to.accept(text);
                } catch (RuntimeException e) {
                    // a sink that fails loses the text, as the pump's would
                }
            }
            if (closed) {
                closeSink();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            closeSink();
        }
    }

    private void closeSink() {
        if (sink instanceof AutoCloseable closeable) {
            Closeables.closeQuietly(closeable);
        }
    }
}
