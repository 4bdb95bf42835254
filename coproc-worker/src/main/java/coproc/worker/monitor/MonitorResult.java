package coproc.worker.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a {@link Monitor} has recorded: its samples, in the order they were taken (each
 * sampling round gives one sample per process), and the notes, in the order they were added.
 * Immutable.
 *
 * @param samples the samples
 * @param notes the notes
 */
public record MonitorResult(List<MonitorSample> samples, List<MonitorNote> notes) {

    /**
     * Copies the lists.
     *
     * @param samples the samples
     * @param notes the notes
     * @throws NullPointerException if a list or an element is null
     */
    public MonitorResult {
        samples = List.copyOf(samples);
        notes = List.copyOf(notes);
    }

    /**
     * Returns the pids that were sampled, in the order they were first sampled (the monitored
     * process first).
     *
     * @return the pids
     */
    public Set<Long> pids() {
        Set<Long> pids = new LinkedHashSet<>();
        for (MonitorSample sample : samples) {
            pids.add(sample.pid());
        }
        return pids;
    }

    /**
     * Returns one process's samples, in order.
     *
     * @param pid the process id
     * @return its samples; empty if it was never sampled
     */
    public List<MonitorSample> samplesOf(long pid) {
        return samples.stream().filter(sample -> sample.pid() == pid).toList();
    }

    /**
     * Draws memory over time into a PNG file, in this JVM: one line per process, with the
     * notes as labels. Blocks while it draws (a few hundred milliseconds the first time in a
     * JVM, less after). The file is replaced whole, never left half written.
     *
     * <p>Needs JFreeChart ({@code org.jfree:jfreechart}) resolved in this JVM, with
     * {@code java.desktop}: on the module path, {@code requires org.jfree.jfreechart;} and
     * {@code requires java.desktop;} in your module (or {@code --add-modules}). A
     * {@link Monitor} draws its own figures in its worker JVM and needs only the jar.
     *
     * @param file the PNG file; its directory is made if needed
     * @param width the image's width in pixels
     * @param height the image's height in pixels
     * @throws IllegalArgumentException if a size is not positive
     * @throws IllegalStateException if JFreeChart or {@code java.desktop} is missing; the
     *     message names what to add
     * @throws IOException if the file cannot be written
     */
    public void saveFigure(Path file, int width, int height) throws IOException {
        MonitorOptions.checkSize(width, height);
        Figures.save(this, file, width, height);
    }
}
