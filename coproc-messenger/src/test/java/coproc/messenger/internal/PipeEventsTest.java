package coproc.messenger.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.CorruptFrameException;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.RawPeer.Frames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * Pipe failures as JDK Flight Recorder events: one per dropped frame, one per failed pipe,
 * none for the good frames around them.
 */
class PipeEventsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static List<String> names(List<RecordedEvent> events) {
        return events.stream().map(e -> e.getEventType().getName()).toList();
    }

    @Test
    void shouldRecordADroppedFrameAndAFailedPipeOnceEach() throws Exception {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.setReuse(false); // the events are kept, and read after the callback
            for (String name : List.of("coproc.FrameDropped", "coproc.PipeFailed")) {
                recording.enable(name);
                recording.onEvent(name, events::add);
            }
            recording.startAsync();
            try (RawPeer raw = RawPeer.connect(MessengerOptions.defaults())) {
                raw.write(Frames.frame(new byte[0]), Frames.data("kryo", "after"));
                assertThrows(CorruptFrameException.class, () -> raw.messenger.receiveBlocking(PATIENCE));
                assertEquals("after", raw.messenger.receiveBlocking(PATIENCE));
                await().atMost(PATIENCE).until(() -> names(events).equals(List.of("coproc.FrameDropped")));

                raw.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
                assertThrows(CorruptFrameException.class, () -> raw.messenger.receiveBlocking(PATIENCE));
                await().atMost(PATIENCE).until(() -> names(events).size() == 2);
            }
        }

        assertEquals(List.of("coproc.FrameDropped", "coproc.PipeFailed"), names(events));
        assertEquals(CorruptFrameException.class.getName(), events.get(0).getString("error"));
        assertTrue(events.get(0).getString("message").contains("empty body"), events.get(0)::toString);
        assertTrue(events.get(1).getString("message").contains("negative length prefix"), events.get(1)::toString);
    }
}
