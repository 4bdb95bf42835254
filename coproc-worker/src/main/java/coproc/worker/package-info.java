/**
 * {@link coproc.worker.WorkerResource}, which starts and stops one worker, and its
 * {@link coproc.worker.WorkerOptions}.
 */
package coproc.worker;
