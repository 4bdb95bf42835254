package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LineSplitter}: text in pieces to lines without their line ends, and the last unended line on close. */
class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();

    @Test
    void shouldEndEmptyLinesAndDropACarriageReturnBeforeALineEnd() {
        LineSplitter splitter = new LineSplitter(lines::add);
        splitter.accept("\n\r\na\r\nb\rc\n");

        assertEquals(List.of("", "", "a", "b\rc"), lines);
        assertEquals("", splitter.partial());
    }

    @Test
    void shouldGiveTheLastLineOnCloseOnceAndOnlyIfItWasNotEnded() {
        LineSplitter splitter = new LineSplitter(lines::add);
        splitter.accept("one\ntw");
        splitter.accept("o");
        assertEquals("two", splitter.partial());

        splitter.close();
        splitter.close();

        assertEquals(List.of("one", "two"), lines);
    }
}
