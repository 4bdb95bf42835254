package coproc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.messenger.MessengerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each {@code with...} of {@link WorkerOptions} changes one thing in a copy, and refuses bad values by name. */
class WorkerOptionsTest {

    private static final WorkerOptions DEFAULTS = WorkerOptions.defaults();

    @Test
    void shouldChangeOneThingInACopyAndLeaveTheRest() {
        WorkerOptions changed = DEFAULTS.withLauncher("thread").withSerializer("java").withMaxFrameLength(4096)
                .withMessengerKind(MessengerKind.MULTI).withJvmOptions(List.of("-Xmx64m"))
                .withStartTimeout(Duration.ofSeconds(5)).withStopTimeouts(Duration.ofSeconds(1), Duration.ZERO);

        assertEquals("thread", changed.launcher());
        assertEquals("java", changed.serializer());
        assertEquals(4096, changed.maxFrameLength());
        assertEquals(MessengerKind.MULTI, changed.messengerKind());
        assertEquals(List.of("-Xmx64m"), changed.jvmOptions());
        assertEquals(Duration.ofSeconds(5), changed.startTimeout());
        assertEquals(Duration.ofSeconds(1), changed.closeTimeout());
        assertEquals(Duration.ZERO, changed.stopTimeout());
        assertEquals("jvm", DEFAULTS.launcher(), "the defaults are unchanged");
        assertEquals("kryo", DEFAULTS.serializer());
        assertEquals(MessengerKind.PRIORITY, DEFAULTS.messengerKind());
        assertEquals(Duration.ofSeconds(60), DEFAULTS.startTimeout());
        assertEquals("java", changed.withLauncher("jvm").serializer(), "a later change keeps the earlier ones");
        assertNotSame(DEFAULTS, DEFAULTS.withLauncher("jvm"));
    }

    @Test
    void shouldRefuseBadValuesNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withLauncher(" ")).getMessage()
                .contains("launcher name must not be blank"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withSerializer("kryo5")).getMessage()
                .contains("No SerializerProvider named 'kryo5'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withMaxFrameLength(10)).getMessage()
                .contains(": 10"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withStartTimeout(Duration.ZERO))
                .getMessage().contains("startTimeout must be positive: PT0S"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withStopTimeouts(Duration.ofSeconds(-1), Duration.ZERO)).getMessage()
                .contains("closeTimeout must not be negative: PT-1S"));
        assertThrows(NullPointerException.class, () -> DEFAULTS.withMessengerKind(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withSpares(-1, Duration.ofSeconds(1)))
                .getMessage().contains("spares must be between 0 and 64: -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DEFAULTS.withSpares(2, Duration.ZERO))
                .getMessage().contains("idle time must be positive: PT0S"));
    }

    @Test
    void shouldKeepNoSparesByDefaultAndCarrySparesInACopy() {
        assertEquals(0, DEFAULTS.values().spares, "unless the host runs with -Dcoproc.worker.spares=N");
        WorkerOptions warm = DEFAULTS.withSpares(2, Duration.ofSeconds(5));
        assertEquals(2, warm.values().spares);
        assertEquals(Duration.ofSeconds(5), warm.values().spareIdleTime);
        assertTrue(warm.toString().contains("spares=2"), warm::toString);
        assertEquals(0, DEFAULTS.values().spares);
    }

    @Test
    void shouldTurnClassDataSharingOffAndMoveItsDirectory() {
        Path directory = Path.of("/var/tmp/coproc-test-cds");

        assertEquals(Optional.empty(), DEFAULTS.withClassDataSharing(false).classDataSharingDirectory());
        assertEquals(Optional.of(directory), DEFAULTS.withClassDataSharingDirectory(directory)
                .classDataSharingDirectory());
        assertEquals(Optional.empty(), DEFAULTS.withClassDataSharingDirectory(directory).withClassDataSharing(false)
                .classDataSharingDirectory(), "off wins over a directory");
        assertEquals(Optional.of(directory), DEFAULTS.withClassDataSharing(false)
                .withClassDataSharingDirectory(directory).withClassDataSharing(true).classDataSharingDirectory());
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> DEFAULTS.withClassDataSharingDirectory(Path.of("relative/cds")));
        assertTrue(relative.getMessage().contains("relative/cds"), relative.getMessage());
    }

    @Test
    void shouldShareByDefaultInTheUsersCacheUnlessTheHostSaysNo() {
        boolean off = "false".equalsIgnoreCase(System.getProperty("coproc.worker.cds"));
        Optional<Path> directory = DEFAULTS.classDataSharingDirectory();

        assertEquals(!off, directory.isPresent() || System.getProperty("user.home", "?").equals("?"));
        directory.ifPresent(path -> assertTrue(path.endsWith(Path.of("coproc", "cds")), path.toString()));
        assertFalse(DEFAULTS.toString().contains("secret"));
    }
}
