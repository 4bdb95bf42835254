package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WorkerJdk}: the JDK of a {@code java} executable, read from the {@code release} file of
 * the JDK it sits in (here a stand-in directory, not a JDK that runs).
 */
class WorkerJdkTest {

    private static Path jdk(Path home, String release) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin").resolve("java"), "");
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return home.resolve("bin").resolve("java");
    }

    @Test
    void shouldTakeTheFeatureVersionFromTheReleaseFileOfTheJdkAJavaSitsIn(@TempDir Path dir) throws Exception {
        String release = "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"25.0.1\"\n";
        Path java = jdk(dir.resolve("jdk-25"), release);

        WorkerJdk jdk = WorkerJdk.of(java.toString());

        assertEquals(25, jdk.feature());
        assertEquals(WorkerJdk.Archive.AOT_CACHE, jdk.archive());
        String home = dir.resolve("jdk-25").toRealPath().toString();
        assertTrue(jdk.identity().startsWith(home + "\n" + release + "\n"), jdk::identity);
        assertTrue(jdk.identity().endsWith("no modules file\n"), jdk::identity);
        assertSame(jdk, WorkerJdk.of(java.toString()), "read once per executable");
    }

    @Test
    void shouldTakeAnAppCdsArchiveBeforeJdk25(@TempDir Path dir) throws Exception {
        WorkerJdk jdk = WorkerJdk.of(jdk(dir.resolve("jdk-21"), "JAVA_VERSION=\"21.0.4\"\n").toString());

        assertEquals(21, jdk.feature());
        assertEquals(WorkerJdk.Archive.APP_CDS, jdk.archive());
    }

    @Test
    void shouldKnowNoVersionOfAJdkWithoutAReleaseFileThatIsNotTheHosts(@TempDir Path dir) throws Exception {
        WorkerJdk jdk = WorkerJdk.of(jdk(dir.resolve("unknown"), null).toString());

        assertEquals(0, jdk.feature());
        assertEquals(WorkerJdk.Archive.APP_CDS, jdk.archive());
        assertTrue(jdk.identity().contains("\nno release file\n"), jdk::identity);
    }

    @Test
    void shouldTakeAJavaNamedWithoutAPathAsTheHosts() {
        WorkerJdk jdk = WorkerJdk.of("java");

        assertEquals(Runtime.version().feature(), jdk.feature());
        assertTrue(jdk.identity().startsWith(Path.of(System.getProperty("java.home")) + "\n"), jdk::identity);
    }
}
