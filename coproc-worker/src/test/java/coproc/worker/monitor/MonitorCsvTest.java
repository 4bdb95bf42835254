package coproc.worker.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV format alone: what is written reads back the same, and what is not valid says where. */
class MonitorCsvTest {

    private static final Instant T0 = Instant.parse("2025-05-21T10:15:30.251412Z");

    @TempDir
    Path temp;

    private static final MonitorResult RESULT = new MonitorResult(List.of(
            new MonitorSample(T0, 0.0, 42, "java", false, 73_400_320, Double.NaN, 20_971_520, 65_011_712, 3),
            new MonitorSample(T0.plusMillis(250), 0.25, 42, "java", false, 73_500_000, 12.5, -1, -1, -1),
            new MonitorSample(T0.plusMillis(250), 0.25, 43, "odd, \"name\"", true, 0, Double.NaN, -1, -1, -1)),
            List.of(new MonitorNote(T0.plusMillis(100), 0.1, "loaded, \"quoted\"", "line one\nline two\r\nthree",
                            true),
                    new MonitorNote(T0.plusMillis(200), 0.2, "ünïcödé", "", false)));

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        Path file = temp.resolve("monitor.csv");
        MonitorCsv.write(RESULT, file);

        assertEquals(RESULT, MonitorCsv.read(file));
    }

    @Test
    void shouldReadBackWhatTheLogAppended() throws IOException {
        Path file = temp.resolve("dir/log.csv");
        try (CsvLog log = new CsvLog(file)) {
            log.samples(RESULT.samples().subList(0, 1));
            log.note(RESULT.notes().get(0));
            log.samples(RESULT.samples().subList(1, 3));
            // flushed after each call: what a crash now would leave reads back
            assertEquals(3, MonitorCsv.read(file).samples().size());
            log.note(RESULT.notes().get(1));
        }
        assertEquals(RESULT, MonitorCsv.read(file));
    }

    @Test
    void shouldWriteUnknownFiguresAsEmptyFields() throws IOException {
        Path file = temp.resolve("monitor.csv");
        MonitorCsv.write(RESULT, file);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(MonitorCsv.HEADER, lines.get(0));
        assertEquals("sample,2025-05-21T10:15:30.501412Z,0.25,42,java,false,73500000,12.5,,,,,,", lines.get(2));
    }

    @Test
    void shouldNameTheRecordThatIsNotValid() throws IOException {
        Path file = temp.resolve("bad.csv");
        Files.writeString(file, MonitorCsv.HEADER + "\nsample,not a time,0,1,java,false,0,,,,,,,\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MonitorCsv.read(file));
        assertTrue(e.getMessage().contains("record 2"), e.getMessage());

        Files.writeString(file, "a,b,c\n");
        e = assertThrows(IllegalArgumentException.class, () -> MonitorCsv.read(file));
        assertTrue(e.getMessage().contains(MonitorCsv.HEADER), e.getMessage());
    }
}
