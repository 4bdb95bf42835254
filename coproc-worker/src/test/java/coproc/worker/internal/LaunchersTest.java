package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import coproc.api.spi.Launcher;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link Launchers}: one launcher per name, and the name it was made under. */
class LaunchersTest {

    @Test
    void shouldMakeALauncherOnceAndNameItByTheNameItWasMadeUnder() {
        Launcher thread = Launchers.named("thread");

        assertNotNull(thread);
        assertSame(thread, Launchers.named("thread"));
        assertEquals("thread", Launchers.nameOf(thread));
    }

    @Test
    void shouldNameALauncherItDidNotMakeByItsClass() {
        Launcher own = spec -> {
            throw new IOException("never launched");
        };

        assertEquals(own.getClass().getName(), Launchers.nameOf(own));
    }
}
