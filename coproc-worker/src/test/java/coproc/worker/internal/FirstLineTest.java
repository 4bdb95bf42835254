package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** {@link FirstLine}: the line a remote shell printed first is taken out of a worker's output. */
class FirstLineTest {

    private static final Predicate<String> PID = line -> line.matches("\\d+");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> line = new CompletableFuture<>();

    @Test
    void shouldTakeTheExpectedFirstLineEvenInPiecesAndPassOnTheRest() {
        FirstLine first = new FirstLine(output::add, line, PID);
        first.accept("12");
        assertTrue(!line.isDone() && output.isEmpty(), "no line end yet");

        first.accept("34 \nhello\n");
        first.accept("more");

        assertEquals("1234", line.getNow("(not done)"));
        assertEquals(List.of("hello\n", "more"), output);
    }

    @Test
    void shouldEndTheFirstLineAtALineEndThatStartsAPiece() {
        FirstLine first = new FirstLine(output::add, line, PID);
        first.accept("12");
        first.accept("\nrest");

        assertEquals("12", line.getNow("(not done)"));
        assertEquals(List.of("rest"), output);
    }

    @Test
    void shouldPassOnNothingWhenTheTextEndsWithTheFirstLine() {
        FirstLine first = new FirstLine(output::add, line, PID);
        first.accept("42\n");

        assertEquals("42", line.getNow("(not done)"));
        assertEquals(List.of(), output);
    }

    @Test
    void shouldCompleteWithNullAndPassOnAFirstLineOfAnotherForm() {
        FirstLine first = new FirstLine(output::add, line, PID);
        first.accept("Warning: permanently added\nrest");

        assertNull(line.getNow("(not done)"));
        assertEquals(List.of("Warning: permanently added\n", "rest"), output);
    }

    @Test
    void shouldCloseAnOutputThatCanBeClosed() {
        LineSplitter lines = new LineSplitter(output::add);
        FirstLine first = new FirstLine(lines, line, PID);
        first.accept("7\nnot ended");
        assertEquals(List.of(), output);

        first.close();

        assertEquals(List.of("not ended"), output);
    }
}
