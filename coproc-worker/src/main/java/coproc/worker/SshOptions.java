package coproc.worker;

import coproc.worker.internal.SshSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the {@code ssh} launcher runs workers on other machines: the hosts, and what
 * differs from the system {@code ssh} defaults. Given to {@link WorkerOptions#withSsh}.
 * Immutable and thread-safe.
 *
 * <p>The launcher runs the system {@code ssh} in batch mode (never a password prompt), so the
 * user's {@code ~/.ssh/config}, agent and {@code known_hosts} apply; it keeps one multiplexed
 * connection per host for the life of this JVM. A worker's pipe is a Unix socket forwarded by
 * that connection ({@code ssh -R}): no network port is opened on either machine. Starts go to
 * the hosts in turn, so a pool's workers spread over them. The remote worker runs the same
 * Java code: by default from the same paths as on this machine (a shared file system, as
 * clusters have), or, with {@link #withShippedCode()}, from copies sent once per content into
 * {@code ~/.cache/coproc/code} on the remote host.
 *
 * <p>The same options as system properties of the host make {@code ssh} the default launcher
 * without code changes: {@code -Dcoproc.worker.launcher=ssh}, and for each name of
 * {@link #launcherOptions()}, {@code -Dcoproc.worker.launcher.NAME=VALUE} (for example
 * {@code -Dcoproc.worker.launcher.hosts=node1,node2}); see {@link WorkerOptions#defaults()}.
 */
public final class SshOptions {

    /** The name of the launcher these options are for. */
    public static final String LAUNCHER = "ssh";

    private final List<String> hosts;
    private final Map<String, String> settings;

    private SshOptions(List<String> hosts, Map<String, String> settings) {
        this.hosts = hosts;
        this.settings = settings;
    }

    /**
     * Returns options for workers on these hosts, taken in turn.
     *
     * @param destinations each {@code [user@]host[:port]}, or a {@code Host} of the ssh configuration
     * @return the options
     * @throws IllegalArgumentException if there is no host, or one is blank or holds a space or a comma
     */
    public static SshOptions hosts(String... destinations) {
        List<String> list = List.of(destinations);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("Give at least one host, as [user@]host[:port]");
        }
        for (String host : list) {
            if (host.isBlank() || host.contains(",") || host.contains(" ")) {
                throw new IllegalArgumentException("Not a host: '" + host + "'; give [user@]host[:port]");
            }
        }
        return new SshOptions(list, Map.of());
    }

    private SshOptions with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new SshOptions(hosts, Map.copyOf(copy));
    }

    /**
     * Returns a copy that authenticates with this private key ({@code ssh -i}).
     *
     * @param file the key file
     * @return the new options
     */
    public SshOptions withIdentityFile(Path file) {
        return with(SshSettings.IDENTITY_FILE, file.toAbsolutePath().toString());
    }

    /**
     * Returns a copy that reads this ssh configuration file instead of {@code ~/.ssh/config}
     * ({@code ssh -F}).
     *
     * @param file the configuration file
     * @return the new options
     */
    public SshOptions withConfigFile(Path file) {
        return with(SshSettings.CONFIG_FILE, file.toAbsolutePath().toString());
    }

    /**
     * Returns a copy that runs this {@code java} on the remote host. By default: this JVM's
     * {@code java} path with shared code, and {@code java} from the remote {@code PATH} with
     * shipped code.
     *
     * @param remotePath the path of {@code java} there
     * @return the new options
     */
    public SshOptions withJava(String remotePath) {
        return with(SshSettings.JAVA, Objects.requireNonNull(remotePath, "remotePath"));
    }

    /**
     * Returns a copy that starts workers in this directory of the remote host. By default: the
     * worker's working directory as {@link WorkerOptions#withWorkingDirectory} says (this JVM's
     * by default) with shared code, and the remote home directory with shipped code.
     *
     * @param remoteDirectory the directory there
     * @return the new options
     */
    public SshOptions withWorkingDirectory(String remoteDirectory) {
        return with(SshSettings.WORKING_DIRECTORY, Objects.requireNonNull(remoteDirectory, "remoteDirectory"));
    }

    /**
     * Returns a copy that sends the worker's code (the jars and directories of its module path
     * and class path) to the remote host, once per content: into
     * {@code ~/.cache/coproc/code/<sha-256>/}, over the same connection, so that a host without
     * this machine's files runs workers too.
     *
     * @return the new options
     */
    public SshOptions withShippedCode() {
        return with(SshSettings.CODE, SshSettings.SHIPPED);
    }

    /** {@return the hosts, in the order starts take them} */
    public List<String> hosts() {
        return hosts;
    }

    /**
     * Returns these options as the {@code ssh} launcher's options, for
     * {@link WorkerOptions#withLauncher(String, Map)}.
     *
     * @return the options by name
     */
    public Map<String, String> launcherOptions() {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put(SshSettings.HOSTS, String.join(",", hosts));
        return Map.copyOf(all);
    }

    @Override
    public String toString() {
        return "SshOptions" + new java.util.TreeMap<>(launcherOptions());
    }
}
