package coproc.api.spi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * A service provider that is chosen by name, such as a {@link SerializerProvider} or a
 * {@link LauncherProvider}.
 */
public interface NamedProvider {

    /**
     * Returns the name users select this provider by, such as {@code kryo} or {@code jvm}.
     * Names are compared exactly; two providers of one service must not share a name.
     *
     * @return the name, not blank
     */
    String name();

    /**
     * Chooses the provider with the given name among those a service loader finds.
     *
     * <p>A provider that fails to load does not stop the search: its error is remembered and
     * reported only if no provider answers to the name. The caller creates the loader (a
     * {@link ServiceLoader}, say), because {@link ServiceLoader#load(Class)} needs the
     * {@code uses} clause of the caller's module.
     *
     * @param <P> the service type
     * @param loader the providers to search; its iterator may throw
     *     {@link ServiceConfigurationError} for a provider that fails to load
     * @param service the service type, named in error messages
     * @param name the name wanted
     * @return the one provider with that name
     * @throws IllegalArgumentException if no provider has the name; the message lists the
     *     names that are available and what to do
     * @throws IllegalStateException if more than one provider has the name; the message
     *     names their classes
     */
    static <P extends NamedProvider> P select(Iterable<P> loader, Class<? extends P> service, String name) {
        Map<String, List<P>> byName = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        Iterator<P> providers = loader.iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                P provider = providers.next();
                byName.computeIfAbsent(provider.name(), k -> new ArrayList<>()).add(provider);
            } catch (ServiceConfigurationError e) {
                broken.add(e.getMessage());
            }
        }
        List<P> matches = byName.get(name);
        if (matches == null) {
            throw new IllegalArgumentException("No " + service.getSimpleName() + " named '" + name
                    + "'. Available: " + byName.keySet() + ". Fix the name or add a module that provides "
                    + service.getName() + "."
                    + (broken.isEmpty() ? "" : " Providers that failed to load: " + broken));
        }
        if (matches.size() > 1) {
            List<String> classes = new ArrayList<>();
            for (P match : matches) {
                classes.add(match.getClass().getName());
            }
            throw new IllegalStateException("Found " + matches.size() + " " + service.getSimpleName()
                    + "s named '" + name + "': " + classes + ". Remove one of them from the module path"
                    + " or class path, or give it another name.");
        }
        return matches.get(0);
    }
}
