package coproc.messenger.internal;

import coproc.api.MessageRejectedException;
import java.lang.System.Logger.Level;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Reports what goes wrong on a pipe, through the {@link System.Logger} {@value #LOGGER} and as
 * JDK Flight Recorder events: a frame this side could not read and dropped (WARNING, event
 * {@code coproc.FrameDropped}: the other side's program is not told of it by this side's
 * receives alone), and a pipe that a failure ended (DEBUG, since every receive and send then
 * throws it; event {@code coproc.PipeFailed}). One report per failure, none per message.
 * Thread-safe.
 */
final class PipeEvents {

    /** The name of the logger. */
    static final String LOGGER = "coproc.messenger";

    /**
     * The logger, made when first used: in a worker JVM that has just started, making one can
     * take milliseconds, and a pipe that meets no failure never needs it.
     */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger(PipeEvents.LOGGER);
    }

    /** Returns the messenger's logger. */
    static System.Logger log() {
        return Log.LOGGER;
    }

    private PipeEvents() {
    }

    /**
     * Reports a frame the decoder dropped, if the item is one; returns the item.
     *
     * @param item what the decoder made of a frame
     * @return the item
     */
    static InboxItem decoded(InboxItem item) {
        if (item instanceof InboxItem.Failure failure && !(failure.error() instanceof MessageRejectedException)) {
            RuntimeException error = failure.error();
            if (log().isLoggable(Level.DEBUG)) {
                log().log(Level.WARNING, error.getMessage(), error);
            } else {
                log().log(Level.WARNING, error.getMessage());
            }
            dropped(error.getClass().getName(), error.getMessage());
        } else if (item instanceof InboxItem.Undecodable undecodable) {
            dropped("undecodable value", undecodable.description()); // logged when drained: Pipe.reject
        }
        return item;
    }

    private static void dropped(String error, String message) {
        FrameDropped event = new FrameDropped();
        if (event.shouldCommit()) {
            event.error = error;
            event.message = message;
            event.commit();
        }
    }

    /**
     * Reports a pipe that a failure ended (not the other side's going away).
     *
     * @param error what ended it
     */
    static void failed(RuntimeException error) {
        log().log(Level.DEBUG, "A pipe failed: " + error, error);
        PipeFailed event = new PipeFailed();
        if (event.shouldCommit()) {
            event.error = error.getClass().getName();
            event.message = error.getMessage();
            event.commit();
        }
    }

    /** JFR: a frame that could not be read was dropped; the pipe stays usable. */
    @Name("coproc.FrameDropped")
    @Label("Frame Dropped")
    @Category({"coproc", "Pipe"})
    @Description("A frame that could not be read was dropped; the pipe stays usable")
    @StackTrace(false)
    static final class FrameDropped extends Event {
        @Label("Error")
        String error;
        @Label("Message")
        String message;
    }

    /** JFR: a failure ended a pipe. */
    @Name("coproc.PipeFailed")
    @Label("Pipe Failed")
    @Category({"coproc", "Pipe"})
    @Description("A failure ended a pipe: bytes that are not a valid frame, a frame over the limit, a reader that failed")
    @StackTrace(false)
    static final class PipeFailed extends Event {
        @Label("Error")
        String error;
        @Label("Message")
        String message;
    }
}
