package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import coproc.worker.internal.tls.TlsIdentity;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code slurm} launcher: {@code srun} places each worker JVM on a node of the cluster and
 * supervises it; the worker connects back to the host over TCP with TLS 1.3
 * ({@link TlsListener}), since {@code srun}'s standard streams cannot carry binary frames
 * promptly. Its options are {@link SlurmSettings}'; {@code coproc.worker.SlurmOptions} writes
 * them.
 *
 * <p>Both ends are authenticated: the worker pins the host's certificate, made fresh for this
 * host run, by its SHA-256 fingerprint, and proves itself with its one-time secret inside
 * TLS. Both reach the worker on its standard input, which {@code srun} forwards to the task:
 * never its command line or its environment, which {@code srun} would copy into the job's
 * record and {@code scontrol} shows. The environment carries the other settings, as for the
 * {@code jvm} launcher ({@code srun} exports it to the task by default). The certificate is
 * made, and the host's TLS context set up, while {@code srun} places the worker and its JVM
 * boots: the standard input is written once the fingerprint is known.
 *
 * <p>The task is a shell that prints its job and step ids and its process id, then becomes
 * {@code java} ({@code exec}): so the worker's pid is the JVM's, and {@link WorkerProcess#stop()}
 * cancels the step ({@code scancel}). When the host dies, even by {@code kill -9}, the worker's
 * connection ends and the worker ends itself, which ends the step and {@code srun}; a job that
 * Slurm refuses ends {@code srun} with Slurm's message, which the failed start quotes.
 */
public final class SlurmLauncherProvider implements LauncherProvider {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** What the task's shell prints first, then runs the worker as itself. */
    private static final String TASK_SHELL = "echo \"$SLURM_JOB_ID.$SLURM_STEP_ID $$\"; exec \"$@\"";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public SlurmLauncherProvider() {
    }

    @Override
    public String name() {
        return "slurm";
    }

    /** Makes a launcher with Slurm's defaults: the default partition, time limit, CPUs and memory. */
    @Override
    public Launcher create() {
        return create(Map.of());
    }

    @Override
    public Launcher create(Map<String, String> options) {
        SlurmSettings settings = SlurmSettings.of(options);
        TlsIdentity.current(); // the certificate is needed soon: start making it; fails now if it cannot be
        return new ConnectingBackLauncher() {
            @Override
            public WorkerListener listen() throws IOException {
                return TlsListener.open(settings.address(), settings.firstPort(), settings.lastPort());
            }

            @Override
            public WorkerProcess launch(LaunchSpec spec) throws IOException {
                return SlurmLauncherProvider.launch(spec, settings);
            }

            @Override
            public String toString() {
                return "slurm launcher " + settings;
            }
        };
    }

    private static WorkerProcess launch(LaunchSpec spec, SlurmSettings settings) throws IOException {
        LaunchSpec.Jvm jvm = spec.jvm();
        List<String> java = JvmCommand.of(spec);
        if (jvm.classDataSharing() != null) {
            // The same java and paths on the node: this machine's archive fits where the file
            // system is shared; where it is not, the JVM quietly starts without it.
            java.addAll(1, ClassDataSharing.options(java, jvm.classDataSharing(), spec.settings()));
        }
        String name = "coproc-" + HexFormat.of().formatHex(randomBytes());
        List<String> command = new ArrayList<>(List.of(settings.srun(), "--job-name=" + name, "--nodes=1",
                "--ntasks=1"));
        addOption(command, "--partition=", settings.partition());
        addOption(command, "--time=", settings.timeLimit());
        addOption(command, "--cpus-per-task=", settings.cpus());
        addOption(command, "--mem=", settings.memory());
        command.addAll(settings.srunArguments());
        command.addAll(List.of("/bin/sh", "-c", TASK_SHELL, "coproc-worker"));
        command.addAll(jvm.commandPrefix());
        command.addAll(java);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (jvm.workingDirectory() != null) {
            builder.directory(jvm.workingDirectory().toFile());
        }
        Map<String, String> environment = builder.environment();
        Bootstrap.prepareEnvironment(environment, spec, jvm);
        // The secret leaves the environment now; the fingerprint joins it on standard input
        // once the certificate is made, while the job is placed and the JVM boots.
        CompletableFuture<byte[]> stdin = TlsIdentity.current().fingerprint()
                .thenApply(Bootstrap.standardInputWithFingerprint(environment, spec.target()));
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        return new SlurmWorker(builder.start(), stdin, spec.stdout(), spec.stderr(), name, settings.scancel());
    }

    private static void addOption(List<String> command, String option, String value) {
        if (value != null) {
            command.add(option + value);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
