package coproc.api.spi;

import java.util.Map;
import java.util.TreeSet;

/**
 * Makes {@link Launcher}s: the service a module provides to add a way of starting workers
 * that users choose by {@link #name()}. Implementations need a public no-argument constructor
 * and must be thread-safe.
 */
public interface LauncherProvider extends NamedProvider {

    /**
     * Makes a launcher.
     *
     * @return a launcher; it may be shared by many workers
     */
    Launcher create();

    /**
     * Makes a launcher configured by options, as a user gave them with
     * {@code WorkerOptions.withLauncher(name, options)}; which options a launcher takes is its
     * own documentation. The default takes none: it returns {@link #create()} for empty
     * options.
     *
     * @param options the launcher's options, by name; never {@code null}
     * @return a launcher; it may be shared by many workers with the same options
     * @throws IllegalArgumentException if an option is unknown or its value is bad, naming it
     */
    default Launcher create(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("The '" + name() + "' launcher takes no options, but was given "
                    + new TreeSet<>(options.keySet()) + ". Remove them, or choose a launcher that takes them.");
        }
        return create();
    }
}
