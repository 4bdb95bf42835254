/**
 * Internal: what the pools of {@code coproc.worker.pool} send over the pipe and run in their
 * workers. Not exported (only opened to Kryo, which builds its records); nothing here is API.
 */
package coproc.worker.pool.internal;
