package coproc.worker;

import coproc.worker.internal.SlurmSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the {@code slurm} launcher asks Slurm for workers, and where the host listens for them.
 * Given to {@link WorkerOptions#withLauncher(String, Map)} through {@link #applyTo}, or as
 * {@code options.withLauncher(SlurmOptions.LAUNCHER, slurm.launcherOptions())}. Immutable and
 * thread-safe.
 *
 * <p>Each worker is one {@code srun} task ({@code srun --nodes=1 --ntasks=1}) running the same
 * {@code java}, module path and class path as this JVM: the cluster's shared file system must
 * hold them at the same paths. What is not set here is Slurm's default, or the cluster's. The
 * worker connects back to this host over TCP with TLS 1.3, so the nodes must reach
 * {@link #withAddress the address} and {@link #withPorts ports} it listens on. It pins this host
 * run's certificate by fingerprint and proves itself with a one-time secret, both given on
 * its standard input. This host makes the certificate, once per run, with the JDK's
 * {@code keytool}, which must be next to its {@code java} (a JDK has it; a {@code jlink} image
 * has it unless made with {@code --strip-native-commands}).
 */
public final class SlurmOptions {

    /** The name of the launcher these options are for. */
    public static final String LAUNCHER = "slurm";

    private final Map<String, String> settings;

    private SlurmOptions(Map<String, String> settings) {
        this.settings = settings;
    }

    /**
     * Returns options with Slurm's defaults, listening on this host's name's address on a port
     * the system chooses.
     *
     * @return the options
     */
    public static SlurmOptions defaults() {
        return new SlurmOptions(Map.of());
    }

    private SlurmOptions with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new SlurmOptions(Map.copyOf(copy));
    }

    private static String plain(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.contains(SlurmSettings.ARGUMENT_SEPARATOR)) {
            throw new IllegalArgumentException("Not a " + name + ": '" + value + "'");
        }
        return value;
    }

    /**
     * Returns a copy that runs workers in this partition ({@code srun --partition}).
     *
     * @param partition the partition
     * @return the new options
     * @throws IllegalArgumentException if it is blank
     */
    public SlurmOptions withPartition(String partition) {
        return with(SlurmSettings.PARTITION, plain("partition", partition));
    }

    /**
     * Returns a copy with this time limit per worker ({@code srun --time}, such as {@code 30},
     * {@code 1:00:00} or {@code 2-00:00:00}); Slurm ends a worker that outlives it.
     *
     * @param timeLimit the time limit, as Slurm writes it
     * @return the new options
     * @throws IllegalArgumentException if it is blank
     */
    public SlurmOptions withTimeLimit(String timeLimit) {
        return with(SlurmSettings.TIME, plain("time limit", timeLimit));
    }

    /**
     * Returns a copy that asks for this many CPUs per worker ({@code srun --cpus-per-task}).
     *
     * @param cpus the CPUs, at least 1
     * @return the new options
     * @throws IllegalArgumentException if it is less than 1
     */
    public SlurmOptions withCpus(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1: " + cpus);
        }
        return with(SlurmSettings.CPUS, Integer.toString(cpus));
    }

    /**
     * Returns a copy that asks for this much memory per worker ({@code srun --mem}, such as
     * {@code 2G}); give the JVM a matching {@code -Xmx} in the worker options.
     *
     * @param memory the memory, as Slurm writes it
     * @return the new options
     * @throws IllegalArgumentException if it is blank
     */
    public SlurmOptions withMemory(String memory) {
        return with(SlurmSettings.MEMORY, plain("memory", memory));
    }

    /**
     * Returns a copy that gives {@code srun} these arguments too, before the worker's command
     * (such as {@code --account=proj}, {@code --constraint=ib}, {@code --exclusive}).
     *
     * @param arguments the arguments, each one argument (no shell splitting)
     * @return the new options
     * @throws IllegalArgumentException if one holds a line end
     */
    public SlurmOptions withSrunArguments(String... arguments) {
        for (String argument : arguments) {
            if (argument.contains(SlurmSettings.ARGUMENT_SEPARATOR)) {
                throw new IllegalArgumentException("An srun argument cannot hold a line end: '" + argument + "'");
            }
        }
        return with(SlurmSettings.SRUN_ARGUMENTS, String.join(SlurmSettings.ARGUMENT_SEPARATOR, arguments));
    }

    /**
     * Returns a copy that runs this {@code srun} and this {@code scancel} rather than those on
     * the {@code PATH}.
     *
     * @param srun the {@code srun} executable
     * @param scancel the {@code scancel} executable
     * @return the new options
     */
    public SlurmOptions withCommands(String srun, String scancel) {
        return with(SlurmSettings.SRUN, plain("srun", srun)).with(SlurmSettings.SCANCEL, plain("scancel", scancel));
    }

    /**
     * Returns a copy whose host listens for workers on this address, which the nodes must reach.
     * By default: the address of this host's name.
     *
     * @param address a name or an address of this machine
     * @return the new options
     * @throws IllegalArgumentException if it is blank
     */
    public SlurmOptions withAddress(String address) {
        return with(SlurmSettings.ADDRESS, plain("address", address));
    }

    /**
     * Returns a copy whose host listens for each worker on the first free port of a range (for
     * a firewall that opens only those). By default: any port.
     *
     * @param first the first port, 1 to 65535
     * @param last the last port, at least {@code first}
     * @return the new options
     * @throws IllegalArgumentException if the range is not within 1 to 65535
     */
    public SlurmOptions withPorts(int first, int last) {
        if (first < 1 || last > 65535 || last < first) {
            throw new IllegalArgumentException("Not a port range: " + first + "-" + last + "; give 1 <= first <= last"
                    + " <= 65535");
        }
        return with(SlurmSettings.PORTS, first + "-" + last);
    }

    /**
     * Returns these options as the {@code slurm} launcher's options, for
     * {@link WorkerOptions#withLauncher(String, Map)}.
     *
     * @return the options by name
     */
    public Map<String, String> launcherOptions() {
        return settings;
    }

    /**
     * Returns worker options that start workers with the {@code slurm} launcher and these options.
     *
     * @param options the other worker options
     * @return the new worker options
     */
    public WorkerOptions applyTo(WorkerOptions options) {
        return options.withLauncher(LAUNCHER, settings);
    }

    /** {@return the srun arguments given with {@link #withSrunArguments}} */
    public List<String> srunArguments() {
        String joined = settings.get(SlurmSettings.SRUN_ARGUMENTS);
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(SlurmSettings.ARGUMENT_SEPARATOR));
    }

    @Override
    public String toString() {
        return "SlurmOptions" + new java.util.TreeMap<>(settings);
    }
}
