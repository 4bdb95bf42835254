package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.monitor.HeapReports;
import java.io.IOException;
import java.nio.ByteBuffer;
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
        byte[] target = spec.target();
        Launched launched = start(spec, Integer.toString(target.length));
        ByteBuffer stdin = ByteBuffer.allocate(launched.secret().length + target.length);
        stdin.put(launched.secret()).put(target);
        return new JvmWorker(launched.process(), stdin.array(), spec.stdout(), spec.stderr());
    }

    /**
     * Starts a worker JVM as a spec says, with its settings in its environment, except for
     * the secret, which it returns for the caller to write to the JVM's standard input ahead
     * of the target.
     *
     * @param spec what to run
     * @param targetLength the value of {@code COPROC_TARGET_LENGTH}: the target's length, or
     *     {@link Bootstrap#SPARE}
     * @return the JVM, its standard streams not yet read or written, and the secret as the
     *     worker reads it (a 4-byte length, then the bytes)
     * @throws IOException if the JVM cannot be started
     */
    static Launched start(LaunchSpec spec, String targetLength) throws IOException {
        LaunchSpec.Jvm jvm = spec.jvm();
        List<String> command = JvmCommand.of(spec);
        command.addAll(1, ClassDataSharing.options(command, jvm.classDataSharing(), spec.settings()));
        command.addAll(0, jvm.commandPrefix());
        ProcessBuilder builder = new ProcessBuilder(command);
        if (jvm.workingDirectory() != null) {
            builder.directory(jvm.workingDirectory().toFile());
        }
        // A worker, whatever this JVM is, with its own settings and none inherited from this one.
        Map<String, String> environment = builder.environment();
        Bootstrap.prepareEnvironment(environment, spec, jvm);
        environment.putAll(HeapReports.workerEnvironment()); // where to report its heap, if a Monitor runs
        // The secret goes on standard input, not in the environment that /proc shows and
        // children inherit; the target follows it.
        byte[] secret = Bootstrap.takeSecret(environment);
        environment.put(Bootstrap.TARGET_LENGTH, targetLength);
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        return new Launched(process, secret);
    }

    /**
     * A worker JVM just started, and what goes first on its standard input.
     *
     * @param process the JVM
     * @param secret the secret, length-prefixed
     */
    record Launched(Process process, byte[] secret) {
    }
}
