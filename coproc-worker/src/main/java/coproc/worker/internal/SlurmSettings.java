package coproc.worker.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code slurm} launcher's options, read from the map a user gave (see
 * {@code coproc.worker.SlurmOptions}, which writes it). Each {@code null} means Slurm's default.
 *
 * @param partition the partition ({@code srun --partition}), or {@code null}
 * @param timeLimit the time limit ({@code srun --time}), or {@code null}
 * @param cpus the CPUs per worker ({@code srun --cpus-per-task}), or {@code null}
 * @param memory the memory per worker ({@code srun --mem}), or {@code null}
 * @param srunArguments more {@code srun} arguments, before the command
 * @param srun the {@code srun} executable
 * @param scancel the {@code scancel} executable
 * @param address the address the host listens on, which workers connect to
 * @param firstPort the first port of the range the host listens on; 0 for any
 * @param lastPort the last port of that range
 */
public record SlurmSettings(String partition, String timeLimit, String cpus, String memory, List<String> srunArguments,
        String srun, String scancel, InetAddress address, int firstPort, int lastPort) {

    /** The partition. */
    public static final String PARTITION = "partition";
    /** The time limit, in a form {@code srun --time} takes. */
    public static final String TIME = "time";
    /** The CPUs per worker. */
    public static final String CPUS = "cpus";
    /** The memory per worker, in a form {@code srun --mem} takes. */
    public static final String MEMORY = "memory";
    /** More {@code srun} arguments, separated by {@link #ARGUMENT_SEPARATOR}. */
    public static final String SRUN_ARGUMENTS = "srunArguments";
    /** What separates the {@link #SRUN_ARGUMENTS}: a line end. */
    public static final String ARGUMENT_SEPARATOR = "\n";
    /** The {@code srun} executable. */
    public static final String SRUN = "srun";
    /** The {@code scancel} executable. */
    public static final String SCANCEL = "scancel";
    /** The address the host listens on for workers. */
    public static final String ADDRESS = "address";
    /** The ports the host listens on for workers: {@code first-last}, one port, or 0 for any. */
    public static final String PORTS = "ports";

    private static final Set<String> KEYS = Set.of(PARTITION, TIME, CPUS, MEMORY, SRUN_ARGUMENTS, SRUN, SCANCEL,
            ADDRESS, PORTS);

    /**
     * Reads the options.
     *
     * @param options the launcher's options
     * @return the settings
     * @throws IllegalArgumentException if an option is unknown, or the address or ports are bad,
     *     naming it
     */
    static SlurmSettings of(Map<String, String> options) {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown options of the slurm launcher: " + unknown + "; it takes "
                    + new TreeSet<>(KEYS));
        }
        List<String> extra = new ArrayList<>();
        String arguments = options.get(SRUN_ARGUMENTS);
        if (arguments != null && !arguments.isEmpty()) {
            extra.addAll(List.of(arguments.split(ARGUMENT_SEPARATOR)));
        }
        int[] ports = ports(options.getOrDefault(PORTS, "0"));
        return new SlurmSettings(options.get(PARTITION), options.get(TIME), options.get(CPUS), options.get(MEMORY),
                List.copyOf(extra), options.getOrDefault(SRUN, "srun"), options.getOrDefault(SCANCEL, "scancel"),
                address(options.get(ADDRESS)), ports[0], ports[1]);
    }

    private static InetAddress address(String name) {
        try {
            return name == null ? InetAddress.getLocalHost() : InetAddress.getByName(name);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("The slurm launcher cannot listen on '" + (name == null
                    ? "this host's name" : name) + "': " + e.getMessage() + ". Give SlurmOptions.withAddress(...) an"
                    + " address of this machine that the cluster's nodes reach", e);
        }
    }

    private static int[] ports(String range) {
        try {
            int dash = range.indexOf('-');
            int first = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).strip());
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1).strip());
            /* Two mutants here are equivalent: "dash <= 0" for "dash < 0" on the line above (a
               leading dash has already failed, as the empty first number), and "first >= 0" for
               "first > 0" (first 0 with a last below it is refused by the last clause anyway). */
            if (first < 0 || last > 65535 || (first > 0 && last < first) || (first == 0 && last != 0)) {
                throw new NumberFormatException(range);
            }
            return new int[] {first, last};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The slurm launcher's ports are '" + range + "'; give first-last"
                    + " (1-65535), one port, or 0 for any", e);
        }
    }
}
