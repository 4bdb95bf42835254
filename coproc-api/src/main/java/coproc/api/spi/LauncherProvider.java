package coproc.api.spi;

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
}
