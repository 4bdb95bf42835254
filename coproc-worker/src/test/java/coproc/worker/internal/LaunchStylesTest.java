package coproc.worker.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways Java applications are launched, each starting a real {@code jvm} worker: a shaded
 * jar (everything in one jar on {@code -cp}), coproc loaded by a class loader of the
 * launcher's as under {@code mvn exec:java} (the host's {@code java.class.path} holds none of
 * it), and a Spring Boot–style jar of jars, which is refused before any JVM is launched, with
 * the option to set, and works with it. (Module path and plain class path: the other tests.)
 */
class LaunchStylesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** Every entry of this JVM's module path and class path: coproc, Kryo and its dependencies, the tests. */
    private static List<String> entries() {
        List<String> entries = new ArrayList<>();
        Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(path -> Stream.of(path.split(File.pathSeparator)))
                .filter(entry -> !entry.isBlank() && !entries.contains(entry) && !entry.contains("junit")
                        && !entry.contains("opentest4j") && !entry.contains("apiguardian") && !entry.contains("surefire"))
                .forEach(entries::add);
        return entries;
    }

    /** The directory of this test's classes, which holds the launchers and hosts. */
    private static String testClasses() throws Exception {
        return Path.of(LaunchStylesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void assertReply(ChildJvm host) {
        await().atMost(PATIENCE).until(() -> !host.process().isAlive());
        assertEquals(0, host.process().exitValue(), () -> "the host's exit code; its stdout: " + host.stdout());
        assertEquals("hello", host.valueAfter("reply:"), host.stdout()::toString);
    }

    @Test
    void shouldStartAWorkerFromAShadedJar(@TempDir Path temp) throws Exception {
        Path shaded = shade(entries(), temp.resolve("app-shaded.jar"));

        try (ChildJvm host = ChildJvm.start(List.of(JAVA, "-cp", shaded.toString(),
                ClassPathHostMain.class.getName()))) {
            assertReply(host);
        }
    }

    @Test
    void shouldStartAWorkerWhenCoprocWasLoadedByAClassLoaderOfTheApplications() throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", testClasses(),
                IsolatedLoaderLauncher.class.getName(), "plain", ClassPathHostMain.class.getName()));
        command.addAll(entries());

        try (ChildJvm host = ChildJvm.start(command)) {
            assertReply(host);
            assertEquals("true", host.valueAfter("host on the class path:"), host.stdout()::toString);
        }
    }

    @Test
    void shouldRefuseAJarOfJarsBeforeLaunchingAndWorkWithAClassPathGiven() throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", testClasses(),
                IsolatedLoaderLauncher.class.getName(), "nested", NestedJarHostMain.class.getName()));
        command.addAll(entries());

        try (ChildJvm host = ChildJvm.start(command)) {
            assertReply(host);
            String refusal = host.valueAfter("refused:");
            assertTrue(refusal != null && refusal.contains("a new JVM cannot read")
                    && refusal.contains("WorkerOptions.withClassPath") && refusal.contains("jar:file:"),
                    host.stdout()::toString);
        }
    }

    /** One jar of every class and resource of the entries, service files merged, module descriptors left out. */
    private static Path shade(List<String> entries, Path jar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String entry : entries) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        add(files, path.relativize(file).toString().replace(File.separatorChar, '/'),
                                Files.readAllBytes(file));
                    }
                }
            } else if (entry.endsWith(".jar")) {
                try (JarFile source = new JarFile(path.toFile())) {
                    for (JarEntry e : source.stream().filter(e -> !e.isDirectory()).toList()) {
                        try (InputStream in = source.getInputStream(e)) {
                            add(files, e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream shaded = new JarOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                shaded.putNextEntry(new JarEntry(file.getKey()));
                shaded.write(file.getValue());
                shaded.closeEntry();
            }
        }
        return jar;
    }

    private static void add(Map<String, byte[]> files, String name, byte[] bytes) {
        if (name.endsWith("module-info.class") || name.startsWith("META-INF/MANIFEST") || name.endsWith(".SF")
                || name.endsWith(".RSA") || name.endsWith(".DSA")) {
            return;
        }
        if (name.startsWith("META-INF/services/") && files.containsKey(name)) {
            byte[] merged = (new String(files.get(name), StandardCharsets.UTF_8) + "\n"
                    + new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            files.put(name, merged);
            return;
        }
        files.putIfAbsent(name, bytes);
    }
}
