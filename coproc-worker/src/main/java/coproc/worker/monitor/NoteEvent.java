package coproc.worker.monitor;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The JFR event of one {@link MonitorNote}, committed in the host JVM when the note is added:
 * {@code coproc.MonitorNote}, with the stack trace of the call. Off unless a recording
 * enables it (the {@code default} and {@code profile} settings do).
 */
@Name("coproc.MonitorNote")
@Label("Monitor Note")
@Category({"coproc", "Monitor"})
@Description("A note added to a coproc Monitor")
final class NoteEvent extends jdk.jfr.Event {

    @Label("Text")
    String text;

    @Label("Details")
    String details;

    @Label("Label")
    @Description("Whether figures show the note as a label")
    boolean label;

    /** Commits one note's event, if a recording wants it. */
    static void commit(MonitorNote note) {
        NoteEvent event = new NoteEvent();
        if (!event.shouldCommit()) {
            return;
        }
        event.text = note.text();
        event.details = note.details();
        event.label = note.label();
        event.commit();
    }
}
