package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A target is named by the method a reference points to, the class a lambda is written in, or its class. */
class TargetNamesTest {

    static void echo(Messenger messenger, Void unused) {
    }

    /** A target class with state. */
    record Printer(String text) implements WorkerTarget<Void> {
        @Override
        public void run(Messenger messenger, Void argument) {
        }
    }

    /** Makes a method reference in another class than the one whose method it names. */
    static final class Maker {
        static WorkerTarget<Void> reference() {
            return TargetNamesTest::echo;
        }
    }

    @Test
    void shouldNameAMethodReferenceByItsMethodWhereverItWasMade() {
        assertEquals("coproc.worker.internal.TargetNamesTest::echo", TargetNames.describe(Maker.reference()));
    }

    @Test
    void shouldNameALambdaByTheClassItIsWrittenIn() {
        WorkerTarget<Void> lambda = (messenger, unused) -> messenger.sendNoRequest("hi");
        assertEquals("coproc.worker.internal.TargetNamesTest lambda", TargetNames.describe(lambda));
    }

    @Test
    void shouldListTheClassesAWorkerLoadsToDecodeATarget() {
        assertEquals(List.of(Maker.class.getName(), TargetNamesTest.class.getName()),
                TargetNames.classesOf(Maker.reference()), "the class that made the reference, and its method's");
        assertEquals(List.of(Printer.class.getName()), TargetNames.classesOf(new Printer("x")));
        WorkerTarget<Void> lambda = (messenger, unused) -> messenger.sendNoRequest("hi");
        assertEquals(List.of(TargetNamesTest.class.getName()), TargetNames.classesOf(lambda));
    }

    @Test
    void shouldNameAnObjectByItsClass() {
        assertEquals("coproc.worker.internal.TargetNamesTest$Printer", TargetNames.describe(new Printer("x")));
    }
}
