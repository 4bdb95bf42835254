/**
 * Many workers at once: {@link coproc.worker.pool.WorkerPool} maps a
 * {@link coproc.worker.pool.PoolFunction} over items with persistent workers (ordered,
 * unordered, lazily in bounded memory, or one item at a time with a future);
 * {@link coproc.worker.pool.OneShotMap} starts workers with their share of the items, maps, and
 * ends them; {@link coproc.worker.pool.WorkerResourcePool} starts, joins and terminates a group
 * of {@link coproc.worker.WorkerResource}s of one target and feeds them requests.
 *
 * <p>A call's failures: {@link coproc.worker.pool.ItemFailedException} when the function threw
 * for an item, {@link coproc.worker.pool.ChunkLostException} when the workers computing a chunk
 * kept dying, {@link coproc.api.MessageRejectedException} when a worker could not decode a
 * chunk. Nothing here busy-waits: the host's threads block while the workers compute.
 */
package coproc.worker.pool;
