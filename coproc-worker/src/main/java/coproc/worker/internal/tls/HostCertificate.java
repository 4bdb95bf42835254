package coproc.worker.internal.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a host's self-signed certificate with Bouncy Castle's {@code bcpkix} (the JDK has no
 * public API for it): a fresh EC P-256 key, signed with SHA-256. The only class that touches
 * Bouncy Castle, loaded only once {@link BouncyCastle#check()} has found it; the keys and
 * signatures are the JDK's own providers', Bouncy Castle only writes the certificate.
 *
 * @param key the key pair
 * @param certificate its certificate
 */
record HostCertificate(KeyPair key, X509Certificate certificate) {

    /** The subject and issuer: the name says nothing about the machine or the user. */
    private static final String NAME = "CN=coproc host";

    /**
     * Makes a key pair and its certificate. Workers pin it by fingerprint, so its dates matter
     * to no one: it is valid from a day ago (clock skew) for ten years.
     *
     * @return the certificate and its key
     * @throws GeneralSecurityException if the JDK cannot make the key or the certificate
     */
    static HostCertificate make() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        /* Named, not left to the JDK: a JDK 17 without this line makes P-256 keys too (so the
           mutant that removes it survives there), but the default is the provider's to change. */
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        X500Name name = new X500Name(NAME);
        Instant now = Instant.now();
        try {
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    key.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
            return new HostCertificate(key, new JcaX509CertificateConverter().getCertificate(builder.build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Could not sign the host's certificate: " + e.getMessage(), e);
        }
    }
}
