/**
 * Internal: the TLS 1.3 transport of workers that connect back over the network — the host's
 * per-run certificate and context, the worker's pinned connection, and a TLS socket as the
 * blocking channel a pipe runs over. Not exported; not for direct use.
 */
package coproc.worker.internal.tls;
