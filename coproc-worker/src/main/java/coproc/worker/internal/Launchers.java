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
    private static final Map<String, Launcher> LAUNCHERS = new ConcurrentHashMap<>();

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
        return LAUNCHERS.computeIfAbsent(name, wanted -> PROVIDERS.named(wanted).create());
    }

    /**
     * Returns the name of a launcher, for logs and events.
     *
     * @param launcher a launcher
     * @return its name if {@link #named} made it, or else its class name
     */
    public static String nameOf(Launcher launcher) {
        for (Map.Entry<String, Launcher> entry : LAUNCHERS.entrySet()) {
            if (entry.getValue() == launcher) {
                return entry.getKey();
            }
        }
        return launcher.getClass().getName();
    }
}
