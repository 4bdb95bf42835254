package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.monitor.HeapReports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.module.ResolvedModule;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Provides the default launcher, {@code jvm}: each worker is a new JVM, started from the same
 * {@code java} as the host, with the host's module path, class path and module options, so
 * the worker can load every class the host can. The worker's standard output is the host's;
 * its standard error is copied to the host's, and its last lines kept for error messages.
 */
public final class JvmLauncherProvider implements LauncherProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public JvmLauncherProvider() {
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public Launcher create() {
        return JvmLauncherProvider::launch;
    }

    private static WorkerProcess launch(LaunchSpec spec) throws IOException {
        List<String> command = command(spec);
        command.addAll(1, ClassDataSharing.options(command, spec.settings()));
        ProcessBuilder builder = new ProcessBuilder(command);
        // A worker, whatever this JVM is, with its own settings and none inherited from this one.
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(Bootstrap.NAMES);
        environment.remove(ClassDataSharing.TRAINING);
        environment.putAll(spec.settings());
        environment.putAll(HeapReports.workerEnvironment()); // where to report its heap, if a Monitor runs
        byte[] target = null;
        if (Bootstrap.carriesTarget(spec.settings())) {
            target = Base64.getDecoder().decode(environment.get(Bootstrap.TARGET));
            environment.put(Bootstrap.TARGET, Bootstrap.ON_STANDARD_INPUT + target.length);
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        return new JvmWorker(builder.start(), target);
    }

    /** The worker's command line: nothing secret goes here. */
    static List<String> command(LaunchSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.addAll(HostJvm.MODULE_OPTIONS);
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        if (spec.mainModule() != null && JvmLauncherProvider.class.getModule().isNamed()) {
            command.add("-m");
            command.add(spec.mainModule() + "/" + spec.mainClass());
        } else {
            command.add(spec.mainClass());
        }
        return command;
    }

    /** The host JVM's module options, read once: what a worker JVM needs to see the same modules. */
    private static final class HostJvm {

        /** The -Djdk.module.* property prefixes and the options they stand for. */
        private static final Map<String, String> MODULE_FLAGS = Map.of(
                "-Djdk.module.patch.", "--patch-module",
                "-Djdk.module.addreads.", "--add-reads",
                "-Djdk.module.addexports.", "--add-exports",
                "-Djdk.module.addopens.", "--add-opens",
                "-Djdk.module.addmods.", "--add-modules",
                "-Djdk.module.limitmods=", "--limit-modules",
                "-Djdk.module.upgrade.path=", "--upgrade-module-path",
                "-Djdk.module.enable.native.access.", "--enable-native-access");

        static final List<String> MODULE_OPTIONS = moduleOptions();

        private static List<String> moduleOptions() {
            List<String> options = new ArrayList<>();
            String modulePath = System.getProperty("jdk.module.path");
            if (modulePath != null && !modulePath.isEmpty()) {
                options.add("--module-path");
                options.add(modulePath);
                // The host's root modules (its main module, say) are not roots of the worker's
                // -m coproc.worker: add every module the host resolved from the module path.
                TreeSet<String> modules = new TreeSet<>();
                for (ResolvedModule module : ModuleLayer.boot().configuration().modules()) {
                    if (module.reference().location().map(uri -> !"jrt".equals(uri.getScheme())).orElse(false)) {
                        modules.add(module.name());
                    }
                }
                if (!modules.isEmpty()) {
                    options.add("--add-modules");
                    options.add(String.join(",", modules));
                }
            }
            // Copy the host's module options: --patch-module and friends, as given or as the
            // -Djdk.module.* properties the launcher may turn them into (which a new JVM refuses).
            List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                for (Map.Entry<String, String> flag : MODULE_FLAGS.entrySet()) {
                    String option = flag.getValue();
                    if (argument.startsWith(option + "=")) {
                        options.add(argument);
                    } else if (argument.equals(option) && i + 1 < arguments.size()) {
                        options.add(argument);
                        options.add(arguments.get(++i));
                    } else if (argument.startsWith(flag.getKey())) {
                        options.add(option + "=" + argument.substring(argument.indexOf('=') + 1));
                    }
                }
            }
            return List.copyOf(options);
        }
    }

    /** A worker JVM: its process, and a thread copying its stderr to the host's. */
    private static final class JvmWorker implements WorkerProcess {

        private static final int TAIL_LINES = 20;

        private final Process process;
        private final Deque<String> tail = new ArrayDeque<>();
        private final Thread pump;

        /**
         * Starts copying the worker's stderr, and writes the target, if there is one, to its
         * stdin (on a thread of its own: a pipe takes 64 KiB before it blocks, or less), which it
         * then closes.
         */
        JvmWorker(Process process, byte[] target) throws IOException {
            this.process = process;
            this.pump = new Thread(this::pumpStderr, "coproc-stderr-" + process.pid());
            pump.setDaemon(true);
            pump.start();
            if (target == null) {
                process.getOutputStream().close();
                return;
            }
            Thread writer = new Thread(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(target);
                } catch (IOException e) {
                    // the worker has gone; start() reports how it ended
                }
            }, "coproc-stdin-" + process.pid());
            writer.setDaemon(true);
            writer.start();
        }

        private void pumpStderr() {
            Charset charset = Charset.defaultCharset();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), charset))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.err.println(line);
                    synchronized (tail) {
                        if (tail.size() == TAIL_LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                }
            } catch (IOException ignored) {
                // the worker has gone
            }
        }

        @Override
        public OptionalLong pid() {
            return OptionalLong.of(process.pid());
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public OptionalInt exitCode() {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }

        @Override
        public void stop() {
            process.destroy();
        }

        @Override
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public String stderrTail() {
            try {
                if (!process.isAlive()) {
                    pump.join(500); // let it read the last lines
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                return String.join(System.lineSeparator(), tail);
            }
        }

        @Override
        public String toString() {
            return "jvm worker " + process.pid() + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")");
        }
    }
}
