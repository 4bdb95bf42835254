/**
 * The {@link coproc.worker.monitor.Monitor}: memory and CPU of a process and its workers over
 * time, with notes, as records ({@link coproc.worker.monitor.MonitorResult}), as CSV
 * ({@link coproc.worker.monitor.MonitorCsv}), as a figure (with JFreeChart, an optional
 * dependency) and as JFR events ({@code coproc.MonitorSample}, {@code coproc.MonitorNote}).
 * Linux only: it reads {@code /proc}.
 */
package coproc.worker.monitor;
