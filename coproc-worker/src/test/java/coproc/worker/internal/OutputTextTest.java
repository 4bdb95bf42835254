package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link OutputText}: a worker's output frames back as text, per stream, and its one end. */
class OutputTextTest {

    @Test
    void shouldJoinACharacterThatTwoFramesCutAndKeepTheStreamsApart() {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        OutputText text = new OutputText(out::add, err::add, () -> { });
        byte[] bytes = "grüße €".getBytes(StandardCharsets.UTF_8);
        int cut = 3; // inside the two bytes of 'ü'
        text.write(false, bytes, 0, cut);
        text.write(true, "e".getBytes(StandardCharsets.UTF_8), 0, 1);
        text.write(false, bytes, cut, bytes.length - cut - 1); // and inside the three of '€'
        text.write(false, bytes, bytes.length - 1, 1);

        assertEquals("grüße €", String.join("", out));
        assertEquals(List.of("e"), err);
    }

    @Test
    void shouldPassNoTextForFramesThatHoldOnlyPartOfACharacter() {
        List<String> out = new ArrayList<>();
        OutputText text = new OutputText(out::add, s -> { }, () -> { });
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < euro.length; i++) {
            text.write(false, euro, i, 1);
        }

        assertEquals(List.of("€"), out);
    }

    @Test
    void shouldRunItsEndOnce() {
        AtomicInteger ends = new AtomicInteger();
        OutputText text = new OutputText(s -> { }, s -> { }, ends::incrementAndGet);
        text.end();
        assertEquals(1, ends.get(), "the first end runs it");
        text.end();
        assertEquals(1, ends.get());
    }
}
