package coproc.worker.monitor;

import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether figures can be drawn, here or in a monitor's worker JVM, and the error that says
 * what to add when they cannot. Figures are drawn with JFreeChart, an optional dependency:
 * {@link ChartDrawing}, the only class that uses it, is loaded only once this class has found
 * it.
 */
final class Figures {

    /** JFreeChart's module name (an automatic module with a stable name). */
    static final String CHART_MODULE = "org.jfree.jfreechart";
    private static final String DESKTOP_MODULE = "java.desktop";
    private static final String CHART_CLASS = "org/jfree/chart/JFreeChart.class";
    private static final String DEPENDENCY = "org.jfree:jfreechart:1.5.6";

    private Figures() {
    }

    /**
     * Draws a figure in this JVM.
     *
     * @throws IllegalStateException if JFreeChart or {@code java.desktop} is missing here,
     *     naming what to add
     * @throws IOException if the file cannot be written
     */
    static void save(MonitorResult result, Path file, int width, int height) throws IOException {
        String missing = missingHere();
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
        ChartDrawing.save(result, file, width, height);
    }

    /**
     * What is missing for this JVM to draw, or {@code null} if nothing is.
     */
    static String missingHere() {
        Module self = Figures.class.getModule();
        if (!self.isNamed()) {
            return ClassLoader.getSystemResource(CHART_CLASS) != null ? null : missingDependency();
        }
        ModuleLayer layer = self.getLayer() == null ? ModuleLayer.boot() : self.getLayer();
        List<String> unresolved = new ArrayList<>();
        for (String name : List.of(CHART_MODULE, DESKTOP_MODULE)) {
            if (layer.findModule(name).filter(self::canRead).isEmpty()) {
                unresolved.add(name);
            }
        }
        if (unresolved.isEmpty()) {
            return null;
        }
        if (unresolved.contains(CHART_MODULE) && !onModulePath()) {
            return missingDependency();
        }
        return "Drawing a monitor's figure needs the modules " + unresolved + ", which this JVM has not resolved."
                + " Add 'requires " + String.join("; requires ", unresolved) + ";' to your module-info.java, or"
                + " start java with --add-modules " + String.join(",", unresolved);
    }

    /**
     * The JVM options a monitor's worker JVM needs to draw, or {@code null} if it cannot:
     * JFreeChart must be on this JVM's module path or class path, which worker JVMs share.
     */
    static List<String> workerOptions() {
        if (!Figures.class.getModule().isNamed()) {
            return ClassLoader.getSystemResource(CHART_CLASS) != null ? List.of() : null;
        }
        boolean resolved = ModuleLayer.boot().findModule(CHART_MODULE).isPresent();
        return resolved || onModulePath() ? List.of("--add-modules", CHART_MODULE + "," + DESKTOP_MODULE) : null;
    }

    /** The error for a JVM that has no JFreeChart at all. */
    static String missingDependency() {
        return "Drawing a monitor's figure needs JFreeChart, which is not on the module path or class path. Add the"
                + " dependency " + DEPENDENCY + " (Maven: <groupId>org.jfree</groupId><artifactId>jfreechart"
                + "</artifactId><version>1.5.6</version>) to your project; coproc uses it only to draw figures";
    }

    private static boolean onModulePath() {
        String modulePath = System.getProperty("jdk.module.path", "");
        if (modulePath.isEmpty()) {
            return false;
        }
        List<Path> entries = new ArrayList<>();
        for (String entry : modulePath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        try {
            return ModuleFinder.of(entries.toArray(Path[]::new)).find(CHART_MODULE).isPresent();
        } catch (FindException e) {
            return false; // a broken entry: the JVM itself would refuse it too
        }
    }
}
