package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The excerpt keeps the last lines, and the headline of the stack trace they are in. */
class StderrExcerptTest {

    @Test
    void shouldKeepTheHeadlineOfATraceLongerThanTheTail() {
        StderrExcerpt excerpt = new StderrExcerpt();
        excerpt.add("starting" + "\n");
        excerpt.add("coproc worker: the target failed: java.lang.IllegalStateException: boom" + "\n");
        for (int i = 0; i < 40; i++) {
            excerpt.add("\tat com.example.Deep.frame" + i + "(Deep.java:" + i + ")" + "\n");
        }

        List<String> lines = excerpt.text().lines().toList();
        assertEquals("coproc worker: the target failed: java.lang.IllegalStateException: boom", lines.get(0));
        assertEquals("\t... (lines left out)", lines.get(1));
        assertEquals(2 + StderrExcerpt.LINES, lines.size());
        assertEquals("\tat com.example.Deep.frame39(Deep.java:39)", lines.get(lines.size() - 1));
    }

    @Test
    void shouldNotAddAHeadlineWhenTheTailStartsWithOne() {
        StderrExcerpt excerpt = new StderrExcerpt();
        for (int i = 0; i < 30; i++) {
            excerpt.add("line " + i + "\n");
        }
        List<String> lines = excerpt.text().lines().toList();
        assertEquals(StderrExcerpt.LINES, lines.size());
        assertEquals("line 10", lines.get(0));
        assertTrue(new StderrExcerpt().text().isEmpty());
    }

    @Test
    void shouldCutTextThatArrivesInPiecesIntoLines() {
        StderrExcerpt excerpt = new StderrExcerpt();
        excerpt.add("first li");
        excerpt.add("ne\r\nsecond line\nthird, not ended");

        assertEquals(List.of("first line", "second line", "third, not ended"), excerpt.text().lines().toList());
    }
}
