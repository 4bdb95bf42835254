/**
 * Internal: the heap reports of monitored JVMs, written by each JVM about itself and read by
 * the {@link coproc.worker.monitor.Monitor}. Not exported; nothing here is API.
 */
package coproc.worker.internal.monitor;
