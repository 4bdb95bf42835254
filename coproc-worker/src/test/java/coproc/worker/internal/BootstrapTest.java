package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Targets and start arguments encoded for a worker: the encoded form of a lambda that captures
 * nothing is kept, and a new copy handed out each time; anything that captures or has an
 * argument is encoded anew, so that what it holds now is what travels.
 */
class BootstrapTest {

    static void echo(Messenger messenger, Object argument) {
    }

    /** The captured list, as the decoded target holds it. */
    static final class Holder implements WorkerTarget<Object> {

        private static final long serialVersionUID = 1L;

        final List<String> held;

        Holder(List<String> held) {
            this.held = held;
        }

        @Override
        public void run(Messenger messenger, Object argument) {
        }
    }

    @Test
    void shouldHandOutCopiesOfTheSameBytesForALambdaThatCapturesNothing() throws Exception {
        WorkerTarget<Object> reference = BootstrapTest::echo;
        byte[] first = Bootstrap.encode(reference, null);
        byte[] second = Bootstrap.encode(reference, null);

        assertArrayEquals(first, second);
        assertNotSame(first, second);
        first[first.length - 1] ^= 1; // a caller's change to its copy reaches no other
        assertArrayEquals(second, Bootstrap.encode(reference, null));
        assertEquals(2, Bootstrap.decode(second).length);
    }

    @Test
    void shouldEncodeWhatACapturingLambdaAndAnArgumentHoldAtEachStart() throws Exception {
        List<String> list = new ArrayList<>(List.of("a"));
        WorkerTarget<Object> capturing = (messenger, argument) -> messenger.sendNoRequest(list);
        WorkerTarget<Object> reference = BootstrapTest::echo;
        byte[] before = Bootstrap.encode(capturing, null);
        byte[] withArgument = Bootstrap.encode(reference, list);
        list.add("b");

        assertEquals(List.of("a", "b"), Bootstrap.decode(Bootstrap.encode(reference, list))[1]);
        assertEquals(List.of("a"), Bootstrap.decode(withArgument)[1]);
        assertFalse(Arrays.equals(before, Bootstrap.encode(capturing, null)), "the captured list grew");
        assertEquals(List.of("a", "b"),
                ((Holder) Bootstrap.decode(Bootstrap.encode(new Holder(list), null))[0]).held);
    }
}
