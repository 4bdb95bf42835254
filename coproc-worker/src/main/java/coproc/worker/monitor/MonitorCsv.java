package coproc.worker.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a monitor's samples and notes as CSV, and reads them back.
 *
 * <p>The format: UTF-8, RFC 4180 (fields with a comma, a quote or a line break are quoted,
 * quotes doubled), a header line, then one line per sample or note in the order they were
 * recorded, told apart by the first column, {@code kind}:
 * <pre>
 * kind,time,seconds,pid,command,ended,resident_bytes,cpu_percent,heap_used_bytes,heap_committed_bytes,gc_millis,text,details,label
 * sample,2025-05-21T10:15:30.251412Z,0.251,4242,java,false,73400320,12.5,20971520,65011712,3,,,
 * note,2025-05-21T10:15:30.410006Z,0.41,,,,,,,,,loaded the model,"10,000 rows",true
 * </pre>
 * Times are ISO-8601 instants in UTC; figures that are not known ({@code NaN} CPU, heap
 * figures of {@code -1}) are empty fields. A file written while a monitor runs is valid after
 * every line, so a monitor that crashed leaves a file that reads back. Stateless and
 * thread-safe.
 */
public final class MonitorCsv {

    /** The header line's columns. */
    static final List<String> COLUMNS = List.of("kind", "time", "seconds", "pid", "command", "ended",
            "resident_bytes", "cpu_percent", "heap_used_bytes", "heap_committed_bytes", "gc_millis", "text", "details",
            "label");
    static final String HEADER = String.join(",", COLUMNS);

    private MonitorCsv() {
    }

    /**
     * Writes a result to a file, replacing it.
     *
     * @param result the samples and notes
     * @param file the CSV file
     * @throws IOException if it cannot be written
     */
    public static void write(MonitorResult result, Path file) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (MonitorSample sample : result.samples()) {
            text.append(line(sample));
        }
        for (MonitorNote note : result.notes()) {
            text.append(line(note));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Reads a file written by a monitor or by {@link #write}.
     *
     * @param file the CSV file
     * @return its samples and notes, each in file order
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not in this format; the message names the
     *     line and what is wrong
     */
    public static MonitorResult read(Path file) throws IOException {
        List<List<String>> records = CsvRecords.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (records.isEmpty() || !records.get(0).equals(COLUMNS)) {
            throw new IllegalArgumentException(file + " is not a monitor's CSV: its first line should be " + HEADER);
        }
        List<MonitorSample> samples = new ArrayList<>();
        List<MonitorNote> notes = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> fields = records.get(i);
            try {
                if (fields.size() != COLUMNS.size()) {
                    throw new IllegalArgumentException(fields.size() + " fields instead of " + COLUMNS.size());
                }
                switch (fields.get(0)) {
                    case "sample" -> samples.add(sample(fields));
                    case "note" -> notes.add(note(fields));
                    default -> throw new IllegalArgumentException("unknown kind '" + fields.get(0) + "'");
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalArgumentException(file + ": record " + (i + 1) + " is not valid: " + e.getMessage(), e);
            }
        }
        return new MonitorResult(samples, notes);
    }

    /** A sample's line, with its line break. */
    static String line(MonitorSample s) {
        return join("sample", s.time().toString(), Double.toString(s.seconds()), Long.toString(s.pid()), s.command(),
                Boolean.toString(s.ended()), Long.toString(s.residentBytes()), known(s.cpuPercent()),
                known(s.heapUsedBytes()), known(s.heapCommittedBytes()), known(s.gcMillis()), "", "", "");
    }

    /** A note's line, with its line break. */
    static String line(MonitorNote n) {
        return join("note", n.time().toString(), Double.toString(n.seconds()), "", "", "", "", "", "", "", "",
                n.text(), n.details(), Boolean.toString(n.label()));
    }

    private static MonitorSample sample(List<String> f) {
        return new MonitorSample(Instant.parse(f.get(1)), Double.parseDouble(f.get(2)), Long.parseLong(f.get(3)),
                f.get(4), bool(f.get(5)), Long.parseLong(f.get(6)), f.get(7).isEmpty() ? Double.NaN
                        : Double.parseDouble(f.get(7)), orMinusOne(f.get(8)), orMinusOne(f.get(9)),
                orMinusOne(f.get(10)));
    }

    private static MonitorNote note(List<String> f) {
        return new MonitorNote(Instant.parse(f.get(1)), Double.parseDouble(f.get(2)), f.get(11), f.get(12),
                bool(f.get(13)));
    }

    private static boolean bool(String field) {
        return switch (field) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + field + "' is neither true nor false");
        };
    }

    private static long orMinusOne(String field) {
        return field.isEmpty() ? -1 : Long.parseLong(field);
    }

    private static String known(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String known(long value) {
        return value < 0 ? "" : Long.toString(value);
    }

    private static String join(String... fields) {
        StringBuilder line = new StringBuilder();
        for (String field : fields) {
            if (line.length() > 0) {
                line.append(',');
            }
            if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                line.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                line.append(field);
            }
        }
        return line.append('\n').toString();
    }

    /** Splits RFC 4180 text into records of fields. */
    private static final class CsvRecords {

        private CsvRecords() {
        }

        static List<List<String>> parse(String text) {
            List<List<String>> records = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false; // whether the current record has begun
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                    any = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    if (any || field.length() > 0) {
                        fields.add(field.toString());
                        records.add(fields);
                    }
                    fields = new ArrayList<>();
                    field.setLength(0);
                    any = false;
                } else {
                    field.append(c);
                    any = true;
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("the file ends inside a quoted field");
            }
            if (any || field.length() > 0) {
                fields.add(field.toString());
                records.add(fields);
            }
            return records;
        }
    }
}
