package coproc.messenger.internal;

import java.util.ServiceLoader;

/** Finds the providers of the messenger's services. */
final class Services {

    private Services() {
    }

    /**
     * Returns a loader of a service's providers: those in named modules, then those on the
     * class path, as {@link ServiceLoader#load(Class, ClassLoader)} finds them with this
     * module's class loader.
     *
     * <p>When this module is in the boot layer and the class path is empty, the loader looks
     * in the boot layer only, which finds the same providers: the class-path search would
     * open every module's {@code META-INF/services} entry only to skip what it finds there,
     * and costs a new worker JVM milliseconds of its start. (It would also find providers
     * listed in {@code META-INF/services} of a {@code -Xbootclasspath/a} jar, which nobody
     * uses for this.)
     *
     * @param <S> the service type
     * @param service the service, which this module {@code uses}
     * @return a new loader
     */
    static <S> ServiceLoader<S> load(Class<S> service) {
        return bootLayerOnly() ? ServiceLoader.load(ModuleLayer.boot(), service)
                : ServiceLoader.load(service, Services.class.getClassLoader());
    }

    /** Whether {@link #load} looks in the boot layer only. */
    static boolean bootLayerOnly() {
        Module module = Services.class.getModule();
        return module.isNamed() && module.getLayer() == ModuleLayer.boot()
                && Services.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                && System.getProperty("java.class.path", "").isEmpty();
    }
}
