package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JVM that a test starts as a host of its own: its standard output is collected line by
 * line as it comes (its workers share it), its standard error goes to the test's. Closing it
 * kills it and everything it started, so that a failed test leaves nothing running.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::collect, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a JVM.
     *
     * @param command the command line
     * @return the running JVM
     */
    static ChildJvm start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new ChildJvm(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + command, e);
        }
    }

    /**
     * Returns the command that runs a main class of this module's test sources in a new JVM
     * with the module path, class path and module options of this JVM.
     *
     * @param mainClass the main class, in module {@code coproc.worker}
     * @return the command line
     */
    static List<String> moduleCommand(Class<?> mainClass) {
        return JvmCommand.of(new LaunchSpec("coproc.worker", mainClass.getName(), LaunchSpec.Jvm.withOptions(List.of()),
                Map.of(), new byte[0], line -> { }, line -> { }, (settings, target) -> 0));
    }

    private void collect() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                Charset.defaultCharset()))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println("[child " + process.pid() + "] " + line);
                stdout.add(line);
            }
        } catch (IOException ignored) {
            // the child has gone
        }
    }

    Process process() {
        return process;
    }

    /** The lines the child and its workers have written to standard output so far. */
    List<String> stdout() {
        return List.copyOf(stdout);
    }

    /** The value of the first line that starts with the prefix, or null if there is none yet. */
    String valueAfter(String prefix) {
        for (String line : stdout) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
