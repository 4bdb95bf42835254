package coproc.worker.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code ssh} launcher's options, read from the map a user gave (see
 * {@code coproc.worker.SshOptions}, which writes it).
 *
 * @param hosts the hosts, each {@code [user@]host[:port]} or a configured {@code Host}
 * @param identityFile the private key file, or {@code null}
 * @param configFile the ssh configuration file, or {@code null}
 * @param java the remote {@code java}, or {@code null} for the default
 * @param workingDirectory the remote working directory, or {@code null} for the default
 * @param shipped whether the code is sent to the remote host
 */
public record SshSettings(List<String> hosts, String identityFile, String configFile, String java,
        String workingDirectory, boolean shipped) {

    /** The hosts, separated by commas. */
    public static final String HOSTS = "hosts";
    /** The private key file. */
    public static final String IDENTITY_FILE = "identityFile";
    /** The ssh configuration file. */
    public static final String CONFIG_FILE = "configFile";
    /** The remote {@code java}. */
    public static final String JAVA = "java";
    /** The remote working directory. */
    public static final String WORKING_DIRECTORY = "workingDirectory";
    /** Where the code comes from: {@link #SHARED} (the default) or {@link #SHIPPED}. */
    public static final String CODE = "code";
    /** The code is at the same paths on the remote host. */
    public static final String SHARED = "shared";
    /** The code is sent to the remote host. */
    public static final String SHIPPED = "shipped";

    private static final Set<String> KEYS = Set.of(HOSTS, IDENTITY_FILE, CONFIG_FILE, JAVA, WORKING_DIRECTORY, CODE);

    /**
     * Reads the options.
     *
     * @param options the launcher's options
     * @return the settings
     * @throws IllegalArgumentException if an option is unknown, the hosts are missing, or the
     *     code is neither shared nor shipped
     */
    static SshSettings of(Map<String, String> options) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown options of the ssh launcher: " + unknown + "; it takes "
                    + new TreeSet<>(KEYS));
        }
        String hosts = options.get(HOSTS);
        if (hosts == null || hosts.isBlank()) {
            throw new IllegalArgumentException("The ssh launcher needs hosts: give WorkerOptions.withSsh("
                    + "SshOptions.hosts(\"user@host\"))");
        }
        String code = options.getOrDefault(CODE, SHARED);
        if (!code.equals(SHARED) && !code.equals(SHIPPED)) {
            throw new IllegalArgumentException("The ssh launcher's code option is '" + code + "'; give " + SHARED
                    + " or " + SHIPPED);
        }
        return new SshSettings(List.of(hosts.split(",")), options.get(IDENTITY_FILE), options.get(CONFIG_FILE),
                options.get(JAVA), options.get(WORKING_DIRECTORY), code.equals(SHIPPED));
    }
}
