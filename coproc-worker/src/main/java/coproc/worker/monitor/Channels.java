package coproc.worker.monitor;

/**
 * The channels between a {@link Monitor} and its worker, and what travels on each.
 */
final class Channels {

    /** Host to worker: a {@link MonitorNote}. */
    static final String NOTE = "coproc.monitor.note";
    /** Host to worker: look for descendants now (an empty string). */
    static final String UPDATE = "coproc.monitor.update";
    /**
     * Host to worker, as a request: draw the figure into this file (its absolute path). Worker
     * to host, the reply: the empty string once it is written, or why it could not be.
     */
    static final String FIGURE = "coproc.monitor.figure";
    /** Worker to host: a round's samples, a {@code List<MonitorSample>}. */
    static final String SAMPLES = "coproc.monitor.samples";

    private Channels() {
    }
}
