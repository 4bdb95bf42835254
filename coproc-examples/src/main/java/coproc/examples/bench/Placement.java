package coproc.examples.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the benchmark puts the host and its peer (a coproc worker or a raw child): on the same
 * CPU, on different CPUs, or wherever the scheduler likes. Two processes that share a CPU hand it
 * to each other on every message, two on different CPUs wake each other across CPUs: raw latency
 * differs about 4 × between the two, so a figure means something only beside a baseline of the
 * same placement. The host is pinned with {@code taskset -a -p} (all its threads; threads it
 * starts later inherit the mask), the peer is started under {@code taskset -c} (for a worker:
 * {@link coproc.worker.WorkerOptions#withCommandPrefix}).
 */
enum Placement {
    SAME_CPU("same CPU"), DIFFERENT_CPUS("different CPUs"), UNPINNED("unpinned");

    private final String label;

    Placement(String label) {
        this.label = label;
    }

    /** The name used in the rows. */
    String label() {
        return label;
    }

    /** The CPUs this process may run on, from {@code taskset}, or empty if it is missing. */
    private static List<String> allowedCpus() {
        try {
            Process process = new ProcessBuilder("taskset", "-c", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (process.waitFor() != 0) {
                return List.of();
            }
            List<String> cpus = new ArrayList<>();
            for (String part : out.substring(out.lastIndexOf(':') + 1).trim().split(",")) {
                String[] range = part.trim().split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(Integer.toString(cpu));
                }
            }
            return cpus;
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static final List<String> CPUS = allowedCpus();

    /** The placements this machine can force: all three with {@code taskset} and two CPUs, else unpinned. */
    static List<Placement> available() {
        return CPUS.size() >= 2 ? Arrays.asList(values()) : List.of(UNPINNED);
    }

    /** Why only the unpinned placement runs, or {@code null} if every placement does. */
    static String limitation() {
        return CPUS.size() >= 2 ? null : "taskset is missing or only one CPU is allowed: unpinned placement only";
    }

    /** Pins every thread of this process as the placement says: the first allowed CPU, or all of them. */
    void pinHost() {
        String cpus = this == UNPINNED ? String.join(",", CPUS) : CPUS.get(0);
        run("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()));
    }

    /** The command a peer is started under: {@code taskset -c CPU}, or nothing when unpinned. */
    List<String> peerPrefix() {
        return switch (this) {
            case SAME_CPU -> List.of("taskset", "-c", CPUS.get(0));
            case DIFFERENT_CPUS -> List.of("taskset", "-c", CPUS.get(1));
            case UNPINNED -> List.of();
        };
    }

    /**
     * Pins a thread of this process that plays the peer, found by its name, as the placement
     * says: on another CPU than the host's for {@link #DIFFERENT_CPUS}; otherwise it keeps the
     * host's mask, which it inherited.
     *
     * @param name the thread's name (at most 15 characters: the kernel's limit)
     */
    void pinPeerThread(String name) {
        if (this != DIFFERENT_CPUS) {
            return;
        }
        long giveUp = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() - giveUp < 0) { // a new thread takes its kernel name once it runs
            java.util.Optional<String> tid = threadId(name);
            if (tid.isPresent()) {
                run("taskset", "-p", "-c", CPUS.get(1), tid.get());
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("no thread named " + name + " in /proc/self/task");
    }

    /** The kernel's id of this process's thread of that name. */
    private static java.util.Optional<String> threadId(String name) {
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            return tasks.filter(task -> {
                try {
                    return java.nio.file.Files.readString(task.resolve("comm")).strip().equals(name);
                } catch (IOException e) {
                    return false; // the thread has ended
                }
            }).map(task -> task.getFileName().toString()).findFirst();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list this process's threads", e);
        }
    }

    private static void run(String... command) {
        if (CPUS.isEmpty()) {
            return;
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
