package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import coproc.api.spi.Launcher;
import coproc.api.spi.LauncherProvider;
import coproc.api.spi.WorkerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code ssh} launcher: starts worker JVMs on other machines through the system
 * {@code ssh}, over one multiplexed connection per host ({@link SshConnection}). Its options
 * are {@link SshSettings}'; {@code coproc.worker.SshOptions} writes them.
 *
 * <p>A worker's pipe is a Unix socket forwarded by the connection ({@code ssh -R}) to the
 * host's private socket, so the worker connects, authenticates and talks exactly as a local
 * one does, and its standard output stays free for its own text. The remote socket is made by
 * {@code sshd} readable by this user only, and the worker removes its file once connected. The
 * secret and the target go on the session's standard input, the settings in the remote
 * command's environment ({@code env}), never the secret. The remote shell starts {@code java},
 * prints its process id and waits for it: that id is the worker's pid, which
 * {@link WorkerProcess#stop()} and {@link WorkerProcess#kill()} signal remotely, and its exit
 * code is the session's. A remote
 * worker with no pipe ends itself, so killing this JVM, or the {@code ssh} client, leaves
 * nothing running there.
 */
public final class SshLauncherProvider implements LauncherProvider {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public SshLauncherProvider() {
    }

    @Override
    public String name() {
        return "ssh";
    }

    /** @throws IllegalArgumentException always: the launcher needs its hosts */
    @Override
    public Launcher create() {
        return create(Map.of());
    }

    @Override
    public Launcher create(Map<String, String> options) {
        SshSettings settings = SshSettings.of(options);
        AtomicInteger turn = new AtomicInteger();
        return spec -> launch(spec, settings,
                settings.hosts().get(Math.floorMod(turn.getAndIncrement(), settings.hosts().size())));
    }

    private static WorkerProcess launch(LaunchSpec spec, SshSettings settings, String destination) throws IOException {
        SshConnection connection = SshConnection.to(destination, settings);
        LaunchSpec.Jvm jvm = spec.jvm();
        List<String> java = JvmCommand.of(spec);
        if (settings.java() != null || settings.shipped()) {
            java.set(0, settings.java() != null ? settings.java() : "java");
        }
        if (settings.shipped()) {
            java = CodeShipper.ship(java, connection);
        } else if (settings.java() == null && jvm.classDataSharing() != null) {
            // The same java and paths there: this machine's archive fits, where the file
            // system is shared; where it is not, the JVM quietly starts without it.
            java.addAll(1, ClassDataSharing.options(java, jvm.classDataSharing(), spec.settings()));
        }
        Map<String, String> environment = new LinkedHashMap<>(jvm.environment());
        environment.putAll(spec.settings());
        byte[] stdin = Bootstrap.standardInput(environment, spec.target());
        String remoteSocket = "/tmp/coproc-" + HexFormat.of().formatHex(randomBytes()) + ".sock";
        String forward = remoteSocket + ":" + environment.get(Bootstrap.SOCKET);
        environment.put(Bootstrap.SOCKET, remoteSocket);
        environment.put(Bootstrap.REMOTE, "true");
        String directory = settings.workingDirectory() != null ? settings.workingDirectory()
                : settings.shipped() ? null
                : (jvm.workingDirectory() != null ? jvm.workingDirectory() : Path.of(""))
                        .toAbsolutePath().toString();
        List<String> env = new ArrayList<>();
        environment.forEach((name, value) -> env.add(name + "=" + value));
        List<String> command = new ArrayList<>(jvm.commandPrefix());
        command.addAll(java);
        // java runs as a child of the remote shell, which prints its pid first, then waits for
        // it: a signal's death becomes an exit code (128 + the signal) rather than ssh's 255.
        // An asynchronous command's standard input is /dev/null unless given: here, the session's.
        String remote = (directory == null ? "" : "cd " + Shell.quote(directory) + " || exit 2\n")
                + "exec 3<&0\n"
                + "env " + Shell.quote(env) + " " + Shell.quote(command) + " <&3 3<&- &\n"
                + "echo $!\n"
                + "wait $!";
        Process process = new ProcessBuilder(connection.session(List.of("-o", "ExitOnForwardFailure=yes", "-R",
                forward), remote)).start();
        return new SshWorker(process, stdin, spec.stdout(), spec.stderr(), connection, forward);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
