package coproc.examples;

import coproc.worker.pool.ItemFailedException;
import coproc.worker.pool.WorkerPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * <b>Many workers: a pool.</b> A {@link WorkerPool} starts its workers once and maps function
 * after function over items with them: in order, as results come, lazily over an input of any
 * length, or one item at a time. A function that throws fails the call with the item's index,
 * and the pool goes on.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.PoolMap}.
 */
public final class PoolMap {

    private PoolMap() {
    }

    /**
     * Whether a number is prime; a function the workers run.
     *
     * @param n the number
     * @return whether it is prime
     */
    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Maps with a pool of 2 worker JVMs.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var pool = WorkerPool.start(2)) {
            System.out.println("squares: " + pool.map((Integer x) -> x * x, List.of(1, 2, 3, 4, 5)));
            // Another function, the same workers.
            System.out.println("primes: " + pool.map(PoolMap::isPrime, List.of(2, 3, 4, 5, 6, 7)));
            System.out.println("as they come, sorted: "
                    + pool.mapUnordered((Integer x) -> x * 10, List.of(3, 1, 2)).sorted().toList());
            // A million items, read as the workers free up: the host holds a few chunks at a time.
            Iterable<Integer> million = () -> IntStream.range(0, 1_000_000).iterator();
            long sum = pool.<Integer, Long>mapLazy(x -> x.longValue() * 2, million).mapToLong(Long::longValue).sum();
            System.out.println("sum of 2x for x below a million, lazily: " + sum);
            System.out.println("one item: " + pool.submit((String s) -> s.toUpperCase(), "hello").join());
            try {
                pool.map((Integer x) -> 10 / x, List.of(5, 2, 0, 1));
            } catch (ItemFailedException e) {
                System.out.println("item " + e.index() + " failed: " + e.getCause());
            }
            System.out.println("and the pool goes on: " + pool.map((Integer x) -> 10 / x, List.of(5, 2, 1)));
        }
    }
}
