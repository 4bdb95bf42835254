package coproc.worker.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link HeapReports}: one directory shared by the monitors that run, at the smallest interval they ask for. */
class HeapReportsTest {

    @Test
    void shouldShareOneDirectoryAtTheSmallestIntervalAndRemoveItWithTheLastMonitor() {
        Path directory = HeapReports.open(Duration.ofSeconds(1));
        try {
            assertEquals(directory, HeapReports.open(Duration.ofMillis(300)));
            assertEquals(directory, HeapReports.open(Duration.ofSeconds(2)));
            assertEquals(Map.of(HeapReports.DIRECTORY, directory.toString(), HeapReports.INTERVAL_MILLIS, "300"),
                    HeapReports.workerEnvironment());

            HeapReports.close();
            HeapReports.close();
            assertTrue(Files.isDirectory(directory), "one monitor still runs");
            assertEquals(directory.toString(), HeapReports.workerEnvironment().get(HeapReports.DIRECTORY));
        } finally {
            HeapReports.close();
        }
        assertFalse(Files.exists(directory), "removed with the last monitor");
        assertEquals(Map.of(), HeapReports.workerEnvironment());
    }
}
