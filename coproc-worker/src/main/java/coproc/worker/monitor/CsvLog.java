package coproc.worker.monitor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The monitor's CSV log, written as the monitor goes: samples and notes are appended as they
 * come and flushed to the file after each sampling round, so that a crash keeps what was
 * sampled. The format is {@link MonitorCsv}'s. Used by the monitor's loop only (one thread).
 */
final class CsvLog implements AutoCloseable {

    private final BufferedWriter out;

    /**
     * Creates (or replaces) the file, with its header; makes its directory if needed.
     *
     * @throws IOException if it cannot be written
     */
    CsvLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(MonitorCsv.HEADER);
        out.write('\n');
        out.flush();
    }

    /** Appends a round's samples and flushes. */
    void samples(List<MonitorSample> samples) throws IOException {
        for (MonitorSample sample : samples) {
            out.write(MonitorCsv.line(sample));
        }
        out.flush();
    }

    /** Appends a note and flushes. */
    void note(MonitorNote note) throws IOException {
        out.write(MonitorCsv.line(note));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
