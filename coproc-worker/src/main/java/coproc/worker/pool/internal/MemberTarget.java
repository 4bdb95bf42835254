package coproc.worker.pool.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;

/**
 * A user's target as a member of a {@code WorkerResourcePool}: runs it, having first told the
 * pool which thread runs it when that is a thread of the host's JVM (the {@code thread}
 * launcher), so that the pool can wait for the worker to end without polling.
 *
 * @param <A> the type of the start argument
 * @param target the user's target
 * @param token the pool member's key in {@link WorkerThreads}
 */
public record MemberTarget<A>(WorkerTarget<A> target, String token) implements WorkerTarget<A> {

    private static final long serialVersionUID = 1L;

    @Override
    public void run(Messenger messenger, A argument) throws Exception {
        WorkerThreads.running(token);
        target.run(messenger, argument);
    }
}
