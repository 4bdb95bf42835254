package coproc.worker.internal;

import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.messenger.internal.ProviderRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The launchers, by name: each made once per JVM from the {@link LauncherProvider} of that
 * name (found through the one {@link ProviderRegistry}) and shared by every worker.
 */
public final class Launchers {

    private static final ProviderRegistry<LauncherProvider> PROVIDERS = ProviderRegistry.of(LauncherProvider.class);
    private static final Map<Key, Launcher> LAUNCHERS = new ConcurrentHashMap<>();

    /** A launcher's name and options. */
    private record Key(String name, Map<String, String> options) {
    }

    private Launchers() {
    }

    /**
     * Returns the launcher with a name.
     *
     * @param name the name
     * @return the launcher
     * @throws IllegalArgumentException if no provider has the name, listing those that exist
     * @throws IllegalStateException if more than one has it
     */
    public static Launcher named(String name) {
        return named(name, Map.of());
    }

    /**
     * Returns the launcher with a name, configured by options; made once per name and options.
     *
     * @param name the name
     * @param options its options (see {@link LauncherProvider#create(Map)})
     * @return the launcher
     * @throws IllegalArgumentException if no provider has the name, listing those that exist, or
     *     the launcher refuses an option
     * @throws IllegalStateException if more than one has it
     */
    public static Launcher named(String name, Map<String, String> options) {
        return LAUNCHERS.computeIfAbsent(new Key(name, Map.copyOf(options)),
                wanted -> PROVIDERS.named(wanted.name()).create(wanted.options()));
    }

    /**
     * Returns the name of a launcher, for logs and events.
     *
     * @param launcher a launcher
     * @return its name if {@link #named} made it, or else its class name
     */
    public static String nameOf(Launcher launcher) {
        for (Map.Entry<Key, Launcher> entry : LAUNCHERS.entrySet()) {
            if (entry.getValue() == launcher) {
                return entry.getKey().name();
            }
        }
        return launcher.getClass().getName();
    }
}
