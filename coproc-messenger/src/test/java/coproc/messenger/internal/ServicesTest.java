package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import coproc.api.spi.SerializerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProviderRegistry#load} finds the providers that {@link ServiceLoader#load(Class, ClassLoader)}
 * finds with the module's class loader, whichever way it searches. Surefire runs the tests with
 * a class path, so the boot-layer-only search (module path only, empty class path) is checked
 * in a child JVM started that way.
 */
@Timeout(60)
class ServicesTest {

    private static final String KRYO_PROVIDER = "coproc.messenger.internal.KryoSerializerProvider";
    private static final String JAVA_PROVIDER = "coproc.messenger.internal.JavaSerializerProvider";

    /*
     * Under Surefire ProviderRegistry.load is the class-loader search itself, so comparing the
     * two would compare the code with itself: what it must find is stated here instead, and
     * what the module declares is checked against the services file below.
     */
    @Test
    void shouldFindExactlyTheTwoSerializerProvidersTheModuleShips() {
        assertEquals(Set.of(KRYO_PROVIDER, JAVA_PROVIDER), classNames(ProviderRegistry.load(SerializerProvider.class)));
    }

    /**
     * On the class path (the template app's second run, PIT's run) the module descriptor is
     * not read: the services file must name the same providers as its {@code provides} line.
     */
    @Test
    @Tag("class-path")
    void shouldNameTheSameProvidersInTheServicesFileAsTheModuleDeclares() throws IOException {
        Set<String> listed;
        try (InputStream in = ProviderRegistry.class.getResourceAsStream(
                "/META-INF/services/" + SerializerProvider.class.getName())) {
            assertNotNull(in, "META-INF/services/" + SerializerProvider.class.getName() + " is missing");
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toSet());
        }
        assertEquals(Set.of(KRYO_PROVIDER, JAVA_PROVIDER), listed);
        Module module = ProviderRegistry.class.getModule();
        if (module.isNamed()) {
            assertEquals(listed, module.getDescriptor().provides().stream()
                    .filter(provides -> provides.service().equals(SerializerProvider.class.getName()))
                    .flatMap(provides -> provides.providers().stream()).collect(Collectors.toSet()));
        }
    }

    /** Module path only: the child JVM is started with this JVM's module path. */
    @Test
    void shouldFindTheSameProvidersInTheBootLayerWhenTheClassPathIsEmpty() throws Exception {
        assumeTrue(System.getProperty("jdk.module.path") != null, "this JVM runs on the class path: no module path to hand on");
        Map<String, String> child = runBootLayerSearch();

        assertEquals("", child.get("classPath"), "the child runs with an empty class path");
        assertEquals("true", child.get("bootLayerSearch"), "the child meets the conditions of the boot-layer search");
        assertEquals(child.get("classLoaderSearch.serializers"), child.get("services.serializers"));
        assertThat(child.get("services.serializers"), allOf(containsString(KRYO_PROVIDER),
                containsString(JAVA_PROVIDER)));
    }

    @Test
    void shouldSelectTheKryoProviderByName() {
        SerializerProvider provider = ProviderRegistry.SERIALIZERS.named("kryo");

        assertEquals("kryo", provider.name());
        assertInstanceOf(KryoSerializerProvider.class, provider);
    }

    @Test
    void shouldRefuseAnUnknownSerializerNameListingTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProviderRegistry.SERIALIZERS.named("nope"));

        assertThat(e.getMessage(), allOf(containsString("No SerializerProvider named 'nope'"),
                containsString("Available: [java, kryo]")));
    }

    /**
     * Runs {@link BootLayerSearch} in a JVM with this JVM's module path, the test classes
     * patched into coproc.messenger, and no class path; returns what it printed.
     */
    private static Map<String, String> runBootLayerSearch() throws IOException, InterruptedException {
        Path testClasses = Path.of(ServicesTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", System.getProperty("jdk.module.path"),
                "--patch-module", "coproc.messenger=" + testClasses,
                "-m", "coproc.messenger/" + BootLayerSearch.class.getName());
        builder.environment().remove("CLASSPATH");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child JVM ended");
        assertEquals(0, process.exitValue(), "the child JVM failed: " + output);
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    private static Set<String> classNames(ServiceLoader<?> loader) {
        return BootLayerSearch.classNames(loader);
    }

    /**
     * The child JVM's side: prints what each search finds, one {@code key=value} a line. It
     * uses nothing of the test libraries, which the child does not have.
     */
    static final class BootLayerSearch {

        private BootLayerSearch() {
        }

        public static void main(String[] args) {
            ClassLoader loader = ProviderRegistry.class.getClassLoader();
            System.out.println("classPath=" + System.getProperty("java.class.path", ""));
            System.out.println("bootLayerSearch=" + ProviderRegistry.bootLayerOnly());
            print("serializers", SerializerProvider.class, loader);
        }

        private static void print(String key, Class<?> service, ClassLoader loader) {
            System.out.println("services." + key + "=" + classNames(ProviderRegistry.load(service)));
            System.out.println("classLoaderSearch." + key + "=" + classNames(ServiceLoader.load(service, loader)));
        }

        static Set<String> classNames(ServiceLoader<?> loader) {
            return loader.stream().map(provider -> provider.type().getName())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
