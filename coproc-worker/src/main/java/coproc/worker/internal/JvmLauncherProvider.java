package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.monitor.HeapReports;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Provides the default launcher, {@code jvm}: each worker is a new JVM, started from the same
 * {@code java} as the host, with the host's module path, class path and module options (see
 * {@link JvmCommand}), so the worker can load every class the host can, and with class data
 * sharing where the spec asks for it (see {@link ClassDataSharing}). The one-time secret and
 * the target go to the worker on its standard input: a 4-byte length and the secret, then the
 * target, whose length is in the environment. The worker's standard output and standard error are copied,
 * line by line, to where the spec says (by default the host's {@code System.out} and
 * {@code System.err}), and the last lines of standard error kept for error messages.
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
        LaunchSpec.Jvm jvm = spec.jvm();
        List<String> command = JvmCommand.of(spec);
        if (jvm.classDataSharing() != null) {
            command.addAll(1, ClassDataSharing.options(command, jvm.classDataSharing(), spec.settings()));
        }
        command.addAll(0, jvm.commandPrefix());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (jvm.workingDirectory() != null) {
            builder.directory(jvm.workingDirectory().toFile());
        }
        // A worker, whatever this JVM is, with its own settings and none inherited from this one.
        Map<String, String> environment = builder.environment();
        environment.keySet().removeAll(Bootstrap.NAMES);
        environment.remove(CdsTraining.TRAINING);
        environment.putAll(jvm.environment());
        environment.putAll(spec.settings());
        environment.putAll(HeapReports.workerEnvironment()); // where to report its heap, if a Monitor runs
        // The secret goes on standard input, not in the environment that /proc shows and
        // children inherit; the target follows it.
        byte[] stdin = Bootstrap.standardInput(environment, spec.target());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        return new JvmWorker(builder.start(), stdin, spec.stdout(), spec.stderr());
    }
}
