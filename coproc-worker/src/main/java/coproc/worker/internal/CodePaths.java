package coproc.worker.internal;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the class path a worker JVM needs when the host's {@code java.class.path} does not
 * hold coproc: when coproc and the application were loaded by a class loader of their own,
 * as under {@code mvn exec:java}, in an application server or a test runner that isolates
 * its classes, or from a Spring Boot–style jar of jars. It collects where coproc's, Kryo's and
 * the target's classes come from, and the entries of their {@link URLClassLoader}s. A location
 * that a new JVM cannot read (a jar inside a jar) makes it fail, naming the location and the
 * option to set.
 */
public final class CodePaths {

    /** Classes whose jars or directories a worker JVM needs: coproc's, and Kryo's with its dependencies. */
    private static final List<String> NEEDED = List.of("coproc.worker.internal.WorkerMain",
            "coproc.messenger.PipeMessenger", "coproc.api.Messenger", "coproc.queue.MultiQueue",
            "com.esotericsoftware.kryo.Kryo", "com.esotericsoftware.minlog.Log",
            "com.esotericsoftware.reflectasm.ConstructorAccess", "org.objenesis.Objenesis");

    private CodePaths() {
    }

    /**
     * Returns the class path a worker JVM needs, if the host's own paths will not do.
     *
     * @param target the target's class
     * @return empty if the worker can use the host's module path and class path; else the
     *     class path it needs
     * @throws IllegalStateException if some of the classes come from where a new JVM cannot
     *     read them, naming the place and the options to set instead
     */
    public static Optional<List<String>> forTarget(Class<?> target) {
        Class<?> coproc = CodePaths.class;
        if (coproc.getModule().isNamed() || coproc.getClassLoader() == ClassLoader.getSystemClassLoader()) {
            return Optional.empty(); // the host's module path or class path holds coproc
        }
        Set<String> entries = new LinkedHashSet<>();
        Set<String> unreadable = new LinkedHashSet<>();
        for (ClassLoader loader : loaders(coproc.getClassLoader(), target.getClassLoader())) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    add(url, entries, unreadable);
                }
            }
        }
        for (String name : NEEDED) {
            try {
                add(Class.forName(name, false, coproc.getClassLoader()), entries, unreadable);
            } catch (ClassNotFoundException | LinkageError e) {
                // not there: Kryo without one of its optional dependencies, say
            }
        }
        add(target, entries, unreadable);
        if (!unreadable.isEmpty()) {
            throw new IllegalStateException("coproc cannot start a worker JVM from here: its classes come from "
                    + unreadable + ", which a new JVM cannot read (a jar inside a jar, say). Give the worker a class"
                    + " path of plain jars or directories with WorkerOptions.withClassPath (the same jars, unpacked),"
                    + " or run the application from plain jars");
        }
        return Optional.of(List.copyOf(entries));
    }

    /** The loaders of coproc and the target and their parents, each once, nearest first. */
    private static Set<ClassLoader> loaders(ClassLoader... starts) {
        Set<ClassLoader> loaders = new LinkedHashSet<>();
        for (ClassLoader start : starts) {
            for (ClassLoader l = start; l != null; l = l.getParent()) {
                loaders.add(l);
            }
        }
        return loaders;
    }

    private static void add(Class<?> type, Set<String> entries, Set<String> unreadable) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            add(source.getLocation(), entries, unreadable);
        }
    }

    /** Adds a location a new JVM can read to the entries, any other to the unreadable ones. */
    static void add(URL location, Set<String> entries, Set<String> unreadable) {
        if (!"file".equals(location.getProtocol())) {
            unreadable.add(location.toString());
            return;
        }
        try {
            entries.add(Path.of(location.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            unreadable.add(location.toString());
        }
    }
}
