package coproc.examples;

import coproc.worker.pool.OneShotMap;
import coproc.worker.pool.PoolOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * <b>Many workers: one-shot maps.</b> A {@link OneShotMap} starts workers for one map, each
 * with its share of the items as its start argument, and ends them when the map is done; the
 * next map starts new ones, at once.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.OneShotMapping}.
 */
public final class OneShotMapping {

    private OneShotMapping() {
    }

    /**
     * Maps three times with up to 2 worker JVMs each time.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        OneShotMap oneShot = new OneShotMap(PoolOptions.defaults().withWorkers(2));
        List<Integer> items = IntStream.rangeClosed(1, 10).boxed().collect(Collectors.toList());
        for (int round = 1; round <= 3; round++) {
            int power = round;
            System.out.println("round " + round + ": " + oneShot.map((Integer x) -> (int) Math.pow(x, power), items));
        }
        List<Long> pids = oneShot.map((Integer x) -> ProcessHandle.current().pid(), items, 1);
        Set<Long> workers = new HashSet<>(pids);
        System.out.println("worker processes: " + workers.size() + ", none of them this one: "
                + !workers.contains(ProcessHandle.current().pid()));
        System.out.println("all ended when the map returned: "
                + workers.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }
}
