package coproc.api;

import java.io.Serializable;

/**
 * The code a worker runs for as long as it lives.
 *
 * <p>A target is a static method reference, a lambda or an object with state (a record or a
 * class implementing this interface). It is shipped to the worker with JDK serialization, so
 * it must be serializable: lambdas and method references assigned to this type are, and so is
 * every field of a target object must be. The user's module needs no {@code opens} for this.
 *
 * <p>In the worker, {@link #run} is called once, on the worker's main thread, with the
 * worker's messenger and the argument given to {@code WorkerResource.start(argument)}. The
 * worker ends when it returns:
 * <ul>
 *   <li>returning, or letting {@link ResourceRequestedCloseException} escape, ends the worker
 *       with exit code 0;</li>
 *   <li>throwing anything else sends the exception to the host (where the next receive throws
 *       it), prints its stack trace on the worker's standard error and ends the worker with a
 *       non-zero exit code.</li>
 * </ul>
 *
 * @param <A> the type of the start argument; use {@link Void} for none
 */
@FunctionalInterface
public interface WorkerTarget<A> extends Serializable {

    /**
     * Runs the worker's main loop.
     *
     * @param messenger the worker's end of the pipe to the host
     * @param argument the start argument, or {@code null} if none was given
     * @throws Exception anything; see the class documentation for what follows
     */
    void run(Messenger messenger, A argument) throws Exception;
}
