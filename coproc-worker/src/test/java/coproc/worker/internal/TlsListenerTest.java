package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.PipeException;
import coproc.api.spi.WorkerProcess;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.PipeConnector;
import coproc.worker.internal.tls.TlsChannel;
import coproc.worker.internal.tls.TlsClient;
import coproc.worker.internal.tls.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS transport on its own, in this JVM: a {@link TlsListener} accepting a worker's
 * connection while intruders try the port. Whatever they do, they are refused, learn nothing
 * of the host's protocol, and the worker with the secret is served.
 */
@Timeout(60)
class TlsListenerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final MessengerKind KIND = MessengerKind.PRIORITY;

    /** A worker that is alive for as long as the test needs: one that never ends. */
    private static final WorkerProcess ALIVE = new StandInProcess(ProcessHandle.current().pid());

    private static byte[] secret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private static PipeMessenger connect(String address, byte[] fingerprint, byte[] secret) throws IOException {
        TlsChannel channel = TlsClient.connect(address, fingerprint, PATIENCE);
        return MessengerAccess.bridge().create(KIND, PipeConnector.open(channel,
                MessengerOptions.defaults().withSecret(secret).withHandshakeTimeout(PATIENCE), null));
    }

    /** Connects without TLS, writes a line, and returns all the host said before it closed. */
    private static byte[] plainTcp(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                return in.readAllBytes();
            } catch (IOException reset) {
                return new byte[0];
            }
        }
    }

    @Test
    void shouldRefuseIntrudersAndServeTheWorkerWithTheSecret() throws Exception {
        byte[] secret = secret();
        try (TlsListener listener = TlsListener.open(InetAddress.getLoopbackAddress(), 0, 0)) {
            String address = listener.settings().get(Bootstrap.TLS_ADDRESS);
            byte[] fingerprint = listener.identity().fingerprint().get();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            CompletableFuture<PipeMessenger> accepted = CompletableFuture.supplyAsync(() -> WorkerAcceptor.accept(
                    listener, ALIVE, KIND, MessengerOptions.defaults().withSecret(secret), null, deadline, PATIENCE,
                    () -> ""));

            // Plain TCP: no TLS, so no coproc hello, nothing readable.
            byte[] said = plainTcp(address);
            assertFalse(new String(said, StandardCharsets.ISO_8859_1).contains("coproc"), "the host said nothing of"
                    + " coproc to a plain TCP client");
            // A certificate that is not the pinned one: the worker refuses the host.
            byte[] wrong = fingerprint.clone();
            wrong[0] ^= 1;
            SSLException mismatch = assertThrows(SSLException.class, () -> TlsClient.connect(address, wrong, PATIENCE));
            assertTrue(String.valueOf(mismatch.getCause()).contains("is not the one this worker was given")
                    || mismatch.getMessage().contains("is not the one this worker was given"), mismatch::toString);
            // TLS, but a wrong secret, or none: the host closes without its own hello.
            byte[] guessed = secret();
            assertThrows(PipeException.class, () -> connect(address, fingerprint, guessed));
            assertThrows(PipeException.class, () -> connect(address, fingerprint, new byte[0]));
            assertFalse(accepted.isDone(), "no intruder was taken for the worker");

            try (PipeMessenger worker = connect(address, fingerprint, secret);
                    PipeMessenger host = accepted.get()) {
                worker.sendRequest("hello over TLS");
                assertEquals("hello over TLS", host.receiveBlocking(PATIENCE));
                host.sendReply("and back");
                assertEquals("and back", worker.receiveBlocking(PATIENCE));

                // The same secret again: the listener is closed, no one else connects.
                assertThrows(IOException.class, () -> connect(address, fingerprint, secret));
                worker.sendRequest("still served");
                assertEquals("still served", host.receiveBlocking(PATIENCE));
            }
        }
    }

    @Test
    void shouldListenOnThePortRangeItIsGiven() throws Exception {
        try (TlsListener first = TlsListener.open(InetAddress.getLoopbackAddress(), 0, 0)) {
            int taken = Integer.parseInt(first.settings().get(Bootstrap.TLS_ADDRESS).replaceAll(".*:", ""));
            try (TlsListener next = TlsListener.open(InetAddress.getLoopbackAddress(), taken, taken + 1)) {
                assertEquals(Map.of(Bootstrap.TLS_ADDRESS, "127.0.0.1:" + (taken + 1)), next.settings(),
                        "the first free port of the range");
            }
            IOException full = assertThrows(IOException.class,
                    () -> TlsListener.open(InetAddress.getLoopbackAddress(), taken, taken));
            assertTrue(full.getMessage().contains(taken + "-" + taken), full::getMessage);
        }
    }

    @Test
    void shouldKeepOneCertificatePerHostRun() {
        assertEquals(TlsIdentity.current(), TlsIdentity.current());
    }
}
