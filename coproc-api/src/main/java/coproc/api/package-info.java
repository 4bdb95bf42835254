/**
 * The types users program against: the {@link coproc.api.Messenger} on each side of a
 * worker's pipe, the {@link coproc.api.Message} it carries, the {@link coproc.api.WorkerTarget}
 * that runs in a worker, and the exceptions.
 */
package coproc.api;
