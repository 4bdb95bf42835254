package coproc.worker.internal.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@link TlsServer}: the port range it binds in (its handshake: {@link TlsChannelTest}). */
class TlsServerTest {

    @Test
    void shouldNameTheRangeAndWhyWhenNoPortOfItIsFree() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
            int port = taken.getLocalPort();

            IOException refused = assertThrows(IOException.class, () -> TlsServer.bind(loopback, port, port));

            BindException cause = assertInstanceOf(BindException.class, refused.getCause());
            assertEquals("No free port to listen for workers on " + loopback.getHostAddress() + " in " + port + "-"
                    + port + " (" + cause.getMessage() + "): widen the launcher's port range, or give 0 for any port",
                    refused.getMessage());
        }
    }
}
