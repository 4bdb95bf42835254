package coproc.worker.monitor;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a monitor's figure with JFreeChart: memory over time, one line per process (resident
 * memory solid, heap used dashed in the same colour where the JVM reports it), the notes as
 * labelled vertical lines. The only class that uses JFreeChart; see {@link Figures}.
 */
final class ChartDrawing {

    private static final double MIB = 1024.0 * 1024.0;
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int LABEL_ROWS = 4;

    private ChartDrawing() {
    }

    /** Draws the figure into a PNG file, written whole or not at all. */
    static void save(MonitorResult result, Path file, int width, int height) throws IOException {
        JFreeChart chart = draw(result);
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Not Files.createTempFile, whose files only their owner may read.
        Path partial = parent.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId() + ".part");
        try {
            ChartUtils.saveChartAsPNG(partial.toFile(), chart, width, height);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static JFreeChart draw(MonitorResult result) {
        Map<Long, XYSeries> resident = new LinkedHashMap<>();
        Map<Long, XYSeries> heap = new LinkedHashMap<>();
        long root = result.samples().isEmpty() ? -1 : result.samples().get(0).pid();
        for (MonitorSample sample : result.samples()) {
            if (sample.ended()) {
                continue;
            }
            String name = sample.command() + " " + sample.pid() + (sample.pid() == root ? " (monitored)" : "");
            resident.computeIfAbsent(sample.pid(), pid -> new XYSeries(name, false, true))
                    .add(sample.seconds(), sample.residentBytes() / MIB);
            if (sample.hasHeap()) {
                heap.computeIfAbsent(sample.pid(), pid -> new XYSeries(name + " heap used", false, true))
                        .add(sample.seconds(), sample.heapUsedBytes() / MIB);
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        BasicStroke solid = new BasicStroke(2f);
        BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f);
        int colour = 0;
        for (Map.Entry<Long, XYSeries> line : resident.entrySet()) {
            Color paint = COLOURS[colour++ % COLOURS.length];
            add(dataset, renderer, line.getValue(), paint, solid);
            XYSeries used = heap.get(line.getKey());
            if (used != null) {
                add(dataset, renderer, used, paint, dashed);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Memory over time", "seconds", "MiB", dataset,
                PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle("resident memory (solid) and heap used (dashed), per process"));
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setLowerBound(0);
        double end = result.samples().isEmpty() ? 1 : result.samples().get(result.samples().size() - 1).seconds();
        addNotes(plot, result.notes(), end);
        return chart;
    }

    private static void add(XYSeriesCollection dataset, XYLineAndShapeRenderer renderer, XYSeries series, Color paint,
            BasicStroke stroke) {
        dataset.addSeries(series);
        int index = dataset.getSeriesCount() - 1;
        renderer.setSeriesPaint(index, paint);
        renderer.setSeriesStroke(index, stroke);
    }

    /**
     * A dotted vertical line per labelled note, its text beside it near the top, staggered:
     * right of the line, or left of it in the last third of the figure.
     */
    private static void addNotes(XYPlot plot, List<MonitorNote> notes, double end) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        BasicStroke dotted = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {2f, 3f}, 0f);
        int row = 0;
        for (MonitorNote note : notes) {
            if (!note.label()) {
                continue;
            }
            ValueMarker marker = new ValueMarker(note.seconds(), Color.GRAY, dotted);
            marker.setLabel(note.text());
            marker.setLabelFont(font);
            marker.setLabelPaint(Color.DARK_GRAY);
            boolean left = note.seconds() > end * 2 / 3;
            marker.setLabelAnchor(left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(left ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
            marker.setLabelOffset(new RectangleInsets(4 + 14 * (row++ % LABEL_ROWS), 2, 2, 2));
            plot.addDomainMarker(marker);
        }
    }
}
