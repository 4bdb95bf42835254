/**
 * Internal: the launchers and the worker-side bootstrap. Not exported; nothing here is API.
 */
package coproc.worker.internal;
