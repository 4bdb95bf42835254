package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Shell}: words quoted for the POSIX shell that ssh hands a remote command line to. */
class ShellTest {

    @Test
    void shouldQuoteAWordInSingleQuotesAndCloseThemAroundAQuote() {
        assertEquals("'a b $HOME'", Shell.quote("a b $HOME"));
        assertEquals("'it'\\''s'", Shell.quote("it's"));
        assertEquals("''", Shell.quote(""));
    }

    @Test
    void shouldQuoteEachWordAndSeparateThemWithSpaces() {
        assertEquals("'java' '-cp' 'a b' 'it'\\''s'", Shell.quote(List.of("java", "-cp", "a b", "it's")));
        assertEquals("", Shell.quote(List.of()));
    }
}
