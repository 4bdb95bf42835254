package coproc.messenger.internal;

import coproc.api.spi.NamedProvider;
import coproc.api.spi.SerializerProvider;
import coproc.messenger.kryo.KryoCustomizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one place coproc finds the providers of a service: serializers, Kryo customizers and
 * (for {@code coproc.worker}) launchers, each looked up once per JVM and kept.
 *
 * <p>Named providers are chosen with {@link NamedProvider#select}: an unknown name fails with
 * the names that are available, two providers with one name fail naming both, and a provider
 * that fails to load does not stop the others. Thread-safe; a second thread that wants a
 * provider being looked up waits for the first.
 *
 * @param <P> the service type
 */
public final class ProviderRegistry<P> {

    /** The serializers, by name. */
    public static final ProviderRegistry<SerializerProvider> SERIALIZERS = of(SerializerProvider.class);
    /** The Kryo customizers, all of them, in class-name order. */
    public static final ProviderRegistry<KryoCustomizer> KRYO_CUSTOMIZERS = of(KryoCustomizer.class);

    private final Class<P> service;
    private final Supplier<? extends Iterable<P>> loader;
    private final Map<String, P> byName = new ConcurrentHashMap<>();
    private volatile List<P> all;

    /** Package access for tests: a registry over providers of the test's choosing. */
    ProviderRegistry(Class<P> service, Supplier<? extends Iterable<P>> loader) {
        this.service = Objects.requireNonNull(service, "service");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * Returns a registry of a service's providers as {@link ServiceLoader} finds them. The
     * module that calls this must declare {@code uses} for the service, so that the providers
     * are resolved; the registry loads them on its behalf.
     *
     * @param <P> the service type
     * @param service the service
     * @return a new registry
     */
    public static <P> ProviderRegistry<P> of(Class<P> service) {
        ProviderRegistry.class.getModule().addUses(service);
        return new ProviderRegistry<>(service, () -> load(service));
    }

    /**
     * Returns the provider with a name, looked up once per name.
     *
     * @param name the name
     * @return the provider
     * @throws IllegalArgumentException if none has the name, listing those that exist
     * @throws IllegalStateException if more than one has it
     * @throws ClassCastException if the service is not a {@link NamedProvider}
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // the service class is checked to be a NamedProvider
    public P named(String name) {
        Class<? extends NamedProvider> named = service.asSubclass(NamedProvider.class);
        return byName.computeIfAbsent(name, wanted -> (P) NamedProvider.select((Iterable) loader.get(), named, wanted));
    }

    /**
     * Returns every provider, in the order of their class names (so that two JVMs with the
     * same providers agree), found once.
     *
     * @return the providers, unmodifiable
     * @throws IllegalStateException if a provider fails to load, naming it
     */
    public List<P> all() {
        List<P> found = all;
        if (found == null) {
            List<P> providers = new ArrayList<>();
            try {
                loader.get().forEach(providers::add);
            } catch (ServiceConfigurationError e) {
                throw new IllegalStateException("A " + service.getSimpleName() + " could not be loaded: "
                        + e.getMessage() + ". Fix or remove the module or jar that provides it", e);
            }
            if (providers.size() > 1) { // linking the comparator's lambdas costs a new worker JVM a millisecond
                providers.sort(Comparator.comparing(p -> p.getClass().getName()));
            }
            found = List.copyOf(providers);
            all = found;
        }
        return found;
    }

    /**
     * Returns a loader of a service's providers: those in named modules, then those on the
     * class path, as {@link ServiceLoader#load(Class, ClassLoader)} finds them with this
     * module's class loader.
     *
     * <p>When this module is in the boot layer and the class path is empty, the loader looks
     * in the boot layer only, which finds the same providers: the class-path search would
     * open every module's {@code META-INF/services} entry only to skip what it finds there,
     * and costs a new worker JVM milliseconds of its start.
     */
    static <S> ServiceLoader<S> load(Class<S> service) {
        return bootLayerOnly() ? ServiceLoader.load(ModuleLayer.boot(), service)
                : ServiceLoader.load(service, ProviderRegistry.class.getClassLoader());
    }

    /** Whether {@link #load} looks in the boot layer only. */
    static boolean bootLayerOnly() {
        Module module = ProviderRegistry.class.getModule();
        return module.isNamed() && module.getLayer() == ModuleLayer.boot()
                && ProviderRegistry.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                && System.getProperty("java.class.path", "").isEmpty();
    }

    @Override
    public String toString() {
        return "ProviderRegistry[" + service.getName() + "]";
    }
}
