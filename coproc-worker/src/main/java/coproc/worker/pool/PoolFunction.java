package coproc.worker.pool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A function that a pool maps over items in its workers: a {@link Function} that is
 * {@link Serializable}, so that a lambda or method reference assigned to this type can travel
 * to another JVM.
 *
 * <p>It travels with JDK serialization, which needs no {@code opens} in the user's module: a
 * method reference, or a lambda that captures only serializable values, works. It runs in the
 * worker, on the worker's thread, once per item; what it captures is a copy, and what it
 * changes stays in the worker.
 *
 * @param <T> the type of the items
 * @param <R> the type of the results
 */
@FunctionalInterface
public interface PoolFunction<T, R> extends Function<T, R>, Serializable {
}
