package coproc.worker.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps every record one logger logs while it is attached, at every level: the tests' view of
 * what coproc says through {@code System.Logger}, whose default backend is
 * {@code java.util.logging}. Thread-safe.
 */
final class CapturedLog extends Handler {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;

    CapturedLog(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
    }

    /** Starts keeping the logger's records, at every level. */
    void attach() {
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** Stops keeping them and gives the logger its level back. */
    void detach() {
        logger.removeHandler(this);
        logger.setLevel(null);
    }

    /** The records kept so far, in the order logged; a live view. */
    List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
