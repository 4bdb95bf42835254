package coproc.worker.internal.tls;

import coproc.messenger.internal.Daemons;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * This host run's TLS identity: one certificate, made fresh when the first TLS worker starts
 * and kept for the life of the JVM, and the server context that presents it. Both are made on
 * a thread of their own, so that a start launches its worker first and waits for them only
 * where it needs them: the fingerprint when it writes the worker's standard input, the
 * context when the worker connects. Thread-safe.
 */
public final class TlsIdentity {

    /** The TLS version, the only one spoken. */
    static final String PROTOCOL = "TLSv1.3";
    /**
     * The cipher suites, in the order the host prefers them: AES-128 first, a little quicker
     * per record than the JDK's first choice, AES-256 (both are TLS 1.3's own, in every JDK).
     */
    static final String[] CIPHER_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"};

    private static final Object LOCK = new Object();
    /** Guarded by {@link #LOCK}. */
    private static TlsIdentity current;

    private final CompletableFuture<HostCertificate> certificate = new CompletableFuture<>();
    private final CompletableFuture<SSLContext> context = new CompletableFuture<>();

    private TlsIdentity() {
    }

    /**
     * Sets an engine's side, the TLS version and the cipher suites, the host's order first.
     *
     * @param engine a new engine
     * @param client whether it is the worker's end
     * @return the engine
     */
    static SSLEngine configure(SSLEngine engine, boolean client) {
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setCipherSuites(CIPHER_SUITES.clone());
        parameters.setUseCipherSuitesOrder(true);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Returns this run's identity, starting to make it on first use.
     *
     * @return the identity
     * @throws IllegalStateException if this runtime has no {@code keytool}, which makes the
     *     certificate, saying what to do
     */
    public static TlsIdentity current() {
        synchronized (LOCK) {
            if (current == null) {
                HostCertificate.keytool();
                TlsIdentity identity = new TlsIdentity();
                Daemons.start("coproc-tls-identity", identity::make);
                current = identity;
            }
            return current;
        }
    }

    private void make() {
        try {
            HostCertificate made = HostCertificate.make();
            certificate.complete(made);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("host", made.key().getPrivate(), password, new Certificate[] {made.certificate()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
            keys.init(store, password);
            SSLContext server = SSLContext.getInstance(PROTOCOL);
            server.init(keys.getKeyManagers(), null, null);
            context.complete(server);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException | LinkageError e) {
            IllegalStateException failure = new IllegalStateException("Could not make this host's TLS certificate: "
                    + e, e);
            certificate.completeExceptionally(failure);
            context.completeExceptionally(failure);
        }
    }

    /**
     * Returns the certificate's SHA-256 fingerprint, which workers pin, once it is made.
     *
     * @return the 32 bytes, in the future
     */
    public CompletableFuture<byte[]> fingerprint() {
        return certificate.thenApply(made -> {
            try {
                return PinnedTrust.fingerprint(made.certificate());
            } catch (GeneralSecurityException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * Returns the server context, waiting for it until a deadline.
     *
     * @param deadline the {@link System#nanoTime()} to give up at
     * @return the context
     * @throws GeneralSecurityException if it could not be made, or not by the deadline
     */
    SSLContext context(long deadline) throws GeneralSecurityException {
        try {
            return context.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GeneralSecurityException("Interrupted while making the host's TLS context", e);
        } catch (ExecutionException e) {
            throw new GeneralSecurityException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new GeneralSecurityException("The host's TLS context was not ready in time", e);
        }
    }
}
