package coproc.worker.internal;

import coproc.api.spi.Launcher;
import java.io.IOException;

/**
 * A launcher whose workers connect back over a transport of its choosing rather than the
 * private Unix socket: the {@code slurm} launcher's workers, on other machines, connect over
 * TCP with TLS ({@link TlsListener}).
 */
interface ConnectingBackLauncher extends Launcher {

    /**
     * Starts listening for one worker's connection, before the worker is launched.
     *
     * @return the listener, whose settings the worker gets
     * @throws IOException if it cannot listen
     */
    WorkerListener listen() throws IOException;
}
