package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SpareOutput}: a spare's output kept until a start takes it, then passed on, and the sink's close. */
class SpareOutputTest {

    private final List<String> received = new ArrayList<>();

    @Test
    void shouldPassTheKeptTextFirstAndThenWhatFollows() {
        SpareOutput output = new SpareOutput();
        output.accept("a");
        output.accept("b");

        output.attach(received::add);
        output.accept("c");

        assertEquals(List.of("ab", "c"), received);
    }

    @Test
    void shouldPassNothingOnAttachWhenNothingWasKept() {
        SpareOutput output = new SpareOutput();
        output.attach(received::add);

        assertEquals(List.of(), received);
    }

    @Test
    void shouldKeepNoMoreThanItsLimit() {
        SpareOutput output = new SpareOutput();
        output.accept("x".repeat(SpareOutput.LIMIT - 1));
        output.accept("yz");
        output.accept("dropped");

        output.attach(received::add);

        assertEquals(List.of("x".repeat(SpareOutput.LIMIT - 1) + "y"), received);
    }

    @Test
    void shouldCloseTheSinkWhenClosedBeforeItIsAttached() {
        SpareOutput output = new SpareOutput();
        output.accept("not ended");
        output.close();

        output.attach(new LineSplitter(received::add));

        assertEquals(List.of("not ended"), received);
    }

    @Test
    void shouldCloseTheAttachedSinkWhenClosed() {
        SpareOutput output = new SpareOutput();
        output.attach(new LineSplitter(received::add));
        output.accept("not ended");
        assertEquals(List.of(), received);

        output.close();

        assertEquals(List.of("not ended"), received);
    }

    @Test
    void shouldStayAttachedWhenTheSinkRefusesTheKeptText() {
        SpareOutput output = new SpareOutput();
        output.accept("kept");
        output.attach(text -> {
            if (text.equals("kept")) {
                throw new IllegalStateException("a sink that fails");
            }
            received.add(text);
        });
        output.accept("later");

        assertEquals(List.of("later"), received);
    }
}
