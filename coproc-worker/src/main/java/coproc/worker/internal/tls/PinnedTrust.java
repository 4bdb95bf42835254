package coproc.worker.internal.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.X509TrustManager;

/**
 * A worker's trust in its host: the host's certificate is trusted if, and only if, its
 * SHA-256 fingerprint is the one the worker was given. No authority, name or date is
 * involved: the certificate is made fresh for each host run and the fingerprint travels by a
 * private route (the worker's standard input), so a match proves the peer is that run's host.
 */
final class PinnedTrust implements X509TrustManager {

    private final byte[] fingerprint;

    /**
     * Trusts one certificate.
     *
     * @param fingerprint the SHA-256 of its DER encoding
     */
    PinnedTrust(byte[] fingerprint) {
        this.fingerprint = fingerprint.clone();
    }

    /**
     * Returns a certificate's fingerprint: the SHA-256 of its DER encoding.
     *
     * @param certificate the certificate
     * @return the 32 bytes
     * @throws CertificateEncodingException if it cannot be encoded
     */
    static byte[] fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("The host presented no certificate");
        }
        byte[] presented = fingerprint(chain[0]);
        if (!MessageDigest.isEqual(presented, fingerprint)) {
            throw new CertificateException("The host's certificate (SHA-256 " + HexFormat.of().formatHex(presented)
                    + ") is not the one this worker was given (SHA-256 " + HexFormat.of().formatHex(fingerprint)
                    + "): refusing to talk to it. Something other than this worker's host answered at its address");
        }
    }

    /** @throws CertificateException always: a worker accepts no client */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("A worker accepts no TLS client");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
