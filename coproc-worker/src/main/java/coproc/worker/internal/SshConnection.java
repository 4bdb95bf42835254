package coproc.worker.internal;

import coproc.messenger.internal.Daemons;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One multiplexed OpenSSH connection to a host ({@code ControlMaster}), through the system
 * {@code ssh}: opened at the first start on that host, shared by every later one, closed when
 * this JVM exits (and, should this JVM be killed, by {@code ssh} itself after
 * {@value #PERSIST_SECONDS} s without sessions). Its control socket is in a directory only
 * this user can read. Thread-safe.
 */
final class SshConnection {

    /** How long a master with no sessions left outlives its last one. */
    static final int PERSIST_SECONDS = 60;
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final Map<List<String>, SshConnection> OPEN = new ConcurrentHashMap<>();
    private static volatile Path controlDirectory;

    private final String host;
    /** {@code ssh} and the options every command to this host takes. */
    private final List<String> base;
    private final Path controlPath;
    /** The shipped code known to be on the host; guarded by this. */
    private final Set<String> shipped = new HashSet<>();
    private String remoteHome;

    private SshConnection(String host, List<String> base, Path controlPath) {
        this.host = host;
        this.base = base;
        this.controlPath = controlPath;
    }

    /**
     * Returns the connection to a host, opening it if need be.
     *
     * @param destination {@code [user@]host[:port]} or a configured {@code Host}
     * @param settings the launcher's settings (key and configuration file)
     * @return the open connection
     * @throws IOException if {@code ssh} cannot connect: its own message
     */
    static SshConnection to(String destination, SshSettings settings) throws IOException {
        List<String> base = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"));
        if (settings.configFile() != null) {
            base.addAll(List.of("-F", settings.configFile()));
        }
        if (settings.identityFile() != null) {
            base.addAll(List.of("-i", settings.identityFile()));
        }
        String host = destination;
        int colon = destination.lastIndexOf(':');
        if (colon > 0 && destination.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            base.addAll(List.of("-p", destination.substring(colon + 1)));
            host = destination.substring(0, colon);
        }
        List<String> key = new ArrayList<>(base);
        key.add(host);
        SshConnection connection = OPEN.computeIfAbsent(key, k -> new SshConnection(k.get(k.size() - 1),
                List.copyOf(k.subList(0, k.size() - 1)), controlDirectory().resolve(Integer.toHexString(k.hashCode()))));
        connection.open();
        return connection;
    }

    private static synchronized Path controlDirectory() {
        if (controlDirectory == null) {
            try {
                controlDirectory = Files.createTempDirectory("coproc-ssh"); // rwx------
            } catch (IOException e) {
                throw new IllegalStateException("Cannot make a directory for ssh's control sockets: " + e, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SshConnection::closeAll, "coproc-ssh-close"));
        }
        return controlDirectory;
    }

    /** Opens the master connection unless it is open. */
    private synchronized void open() throws IOException {
        if (Files.exists(controlPath)) {
            return;
        }
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("-o", "ControlMaster=yes", "-o", "ControlPath=" + controlPath, "-o",
                "ControlPersist=" + PERSIST_SECONDS, "-N", "-f", host));
        // The master stays in the background with the streams it was given: files, not pipes
        // that would never end.
        Path errors = Files.createTempFile(controlPath.getParent(), "master", ".err");
        try {
            Process master = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
            if (!master.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                master.destroyForcibly();
                throw new IOException("ssh did not connect to " + host + " within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (master.exitValue() != 0 || !Files.exists(controlPath)) {
                throw new IOException("ssh could not connect to " + host + " (exit code " + master.exitValue() + "): "
                        + Files.readString(errors).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while connecting to " + host, e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /**
     * Returns the command line of an {@code ssh} session through this connection.
     *
     * @param options more options for this session ({@code -R ...}, say)
     * @param remoteCommand the command the remote shell runs
     * @return the command line
     */
    List<String> session(List<String> options, String remoteCommand) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("-o", "ControlMaster=no", "-o", "ControlPath=" + controlPath));
        command.addAll(options);
        command.add(host);
        command.add(remoteCommand);
        return command;
    }

    /**
     * Runs a short command on the host through this connection.
     *
     * @param remoteCommand what the remote shell runs
     * @param stdin what to give it on standard input
     * @return its standard output
     * @throws IOException if it fails: with its exit code and standard error
     */
    String run(String remoteCommand, byte[] stdin) throws IOException {
        Result result = run(session(List.of(), remoteCommand), stdin);
        if (result.exitCode() != 0) {
            throw new IOException("ssh " + host + " '" + remoteCommand + "' failed (exit code " + result.exitCode()
                    + "): " + result.stderr().strip());
        }
        return result.stdout();
    }

    /**
     * Stops forwarding a remote socket, without waiting; what fails is ignored (the master
     * may have gone).
     *
     * @param forward the {@code remote:local} of the {@code -R} option
     */
    void cancelForward(String forward) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of("-o", "ControlPath=" + controlPath, "-O", "cancel", "-R", forward, host));
        Daemons.start("coproc-ssh-cancel", () -> {
            try {
                run(command, new byte[0]);
            } catch (IOException e) {
                // the master has gone, and its forwards with it
            }
        });
    }

    /** The remote home directory; asked once. */
    synchronized String remoteHome() throws IOException {
        if (remoteHome == null) {
            remoteHome = run("printf %s \"$HOME\"", new byte[0]);
        }
        return remoteHome;
    }

    /** The shipped code known to be on the host: the set to read and add to, under this connection's lock. */
    Set<String> shipped() {
        return shipped;
    }

    @Override
    public String toString() {
        return "ssh connection to " + host;
    }

    private static void closeAll() {
        for (SshConnection connection : OPEN.values()) {
            List<String> command = new ArrayList<>(connection.base);
            command.addAll(List.of("-o", "ControlPath=" + connection.controlPath, "-O", "exit", connection.host));
            try {
                run(command, new byte[0]);
            } catch (IOException e) {
                // gone already
            }
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command, byte[] stdin) throws IOException {
        Process process = new ProcessBuilder(command).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        // Small outputs: read the two streams one after the other.
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("ssh did not end within " + COMMAND_TIMEOUT_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for ssh", e);
        }
        return new Result(process.exitValue(), stdout, stderr);
    }
}
