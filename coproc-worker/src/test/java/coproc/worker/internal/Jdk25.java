package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JDK 25 that tests of the AOT cache run workers on: {@code -Dcoproc.test.jdk25=HOME}, or
 * {@value #DEFAULT_HOME}. Without one a test is skipped, saying so; with the environment
 * variable {@code CI} set it fails instead, so that a build machine cannot skip them silently.
 */
final class Jdk25 {

    static final String DEFAULT_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";

    private Jdk25() {
    }

    /** {@return the JDK 25's {@code java}}, or skips (fails under CI) the calling test without one. */
    static Path javaOrSkip() {
        Path java = Path.of(System.getProperty("coproc.test.jdk25", DEFAULT_HOME), "bin", "java");
        String missing = "No JDK 25 at " + java + ": install one there, or name its home with -Dcoproc.test.jdk25=HOME";
        if (!Files.isExecutable(java)) {
            if (System.getenv("CI") != null) {
                fail(missing + " (CI is set, so JDK 25 tests may not be skipped)");
            }
            assumeTrue(false, missing);
        }
        return java;
    }
}
