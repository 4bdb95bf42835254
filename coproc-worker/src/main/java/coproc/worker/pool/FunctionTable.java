package coproc.worker.pool;

import coproc.worker.pool.internal.FunctionCodec;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's functions by id: a function is serialized once per call, and the same bytes get
 * the same id, so that the workers, which keep the functions they were sent by id, are sent
 * a function again only when it is new. Keeps the latest {@value #KEPT}. Thread-safe.
 */
final class FunctionTable {

    private static final int KEPT = 256;

    /**
     * A function and its id.
     *
     * @param id the id
     * @param bytes the serialized function
     */
    record Entry(long id, byte[] bytes) {
    }

    private long nextId;
    /** By content; guarded by this. */
    private final LinkedHashMap<ByteBuffer, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Entry> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * Serializes a function and returns its entry.
     *
     * @param function the function
     * @return its entry, the same as before for the same bytes
     * @throws IllegalArgumentException if it cannot be serialized
     */
    Entry register(PoolFunction<?, ?> function) {
        byte[] bytes = FunctionCodec.encode(function);
        synchronized (this) {
            return entries.computeIfAbsent(ByteBuffer.wrap(bytes), key -> new Entry(nextId++, bytes));
        }
    }
}
