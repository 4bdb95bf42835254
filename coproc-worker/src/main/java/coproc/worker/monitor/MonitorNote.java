package coproc.worker.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * A note that the host added to a {@link Monitor} ("loaded the model", "epoch 3"), with the
 * time it was added.
 *
 * @param time when the host added it
 * @param seconds seconds since the monitor started, to the millisecond
 * @param text the note
 * @param details more about it, or the empty string
 * @param label whether figures show it as a label
 */
public record MonitorNote(Instant time, double seconds, String text, String details, boolean label) {

    /**
     * Checks the components.
     *
     * @param time when the host added it
     * @param seconds seconds since the monitor started
     * @param text the note
     * @param details more about it, or the empty string
     * @param label whether figures show it as a label
     * @throws NullPointerException if {@code time}, {@code text} or {@code details} is null
     */
    public MonitorNote {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(details, "details");
    }
}
