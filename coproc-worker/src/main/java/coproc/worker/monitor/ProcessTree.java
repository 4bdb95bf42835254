package coproc.worker.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a process's descendants on Linux: from each of its threads' {@code children} file in
 * {@code /proc/<pid>/task/<tid>/children}, or, on a kernel without those files, from the
 * parent pid of every process in {@code /proc}. Stateless.
 */
final class ProcessTree {

    static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * Returns a process and its descendants, parents before children.
     *
     * @param root the process
     * @param descendants whether to look for descendants at all
     * @param excluded a process left out with its own descendants (the monitor itself)
     * @return the pids; just the root if it has none or has gone
     */
    static List<Long> of(long root, boolean descendants, long excluded) {
        List<Long> found = new ArrayList<>();
        found.add(root);
        if (!descendants) {
            return found;
        }
        Map<Long, List<Long>> byParent = Files.exists(PROC.resolve(root + "/task/" + root + "/children"))
                ? null : byParent();
        Deque<Long> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            long parent = pending.removeFirst();
            for (long child : byParent == null ? children(parent) : byParent.getOrDefault(parent, List.of())) {
                if (child != excluded && !found.contains(child)) {
                    found.add(child);
                    pending.addLast(child);
                }
            }
        }
        return found;
    }

    /** A process's children, from its threads' children files; none if it has gone. */
    private static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
            for (Path task : tasks) {
                String list;
                try {
                    list = new String(Files.readAllBytes(task.resolve("children")), StandardCharsets.US_ASCII);
                } catch (IOException threadEnded) {
                    continue;
                }
                for (String child : list.trim().split(" ")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException gone) {
            // the process has ended: no children to follow
        }
        return children;
    }

    /** Every process's children, from the parent pid in each {@code /proc/<pid>/stat}. */
    private static Map<Long, List<Long>> byParent() {
        Map<Long, List<Long>> byParent = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry ->
                entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                try {
                    ProcStat stat = ProcStat.parse(Files.readAllBytes(process.resolve("stat")));
                    long pid = Long.parseLong(process.getFileName().toString());
                    byParent.computeIfAbsent(stat.parent(), parent -> new ArrayList<>()).add(pid);
                } catch (IOException | IllegalArgumentException ended) {
                    // gone while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: the monitor checked for it at its start
        }
        return byParent;
    }
}
