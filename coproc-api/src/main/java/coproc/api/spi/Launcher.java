package coproc.api.spi;

import java.io.IOException;

/**
 * Starts workers. A launcher only starts the worker's code: the pipe, the handshake and the
 * target are set up by {@code WorkerResource} through the settings in the {@link LaunchSpec},
 * so every launcher gets the same transport and the same failure behaviour.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Launcher {

    /**
     * Starts one worker and returns at once, without waiting for it to connect.
     *
     * @param spec what to run and with which settings
     * @return a handle on the started worker
     * @throws IOException if the worker cannot be started at all
     */
    WorkerProcess launch(LaunchSpec spec) throws IOException;
}
