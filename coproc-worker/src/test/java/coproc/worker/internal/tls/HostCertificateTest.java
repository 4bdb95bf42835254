package coproc.worker.internal.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HostCertificate} and {@link PinnedTrust}: a host's fresh certificate, and a worker's trust in it alone. */
class HostCertificateTest {

    @Test
    void shouldMakeASelfSignedP256CertificateValidFromADayAgoForTenYears() throws Exception {
        Instant before = Instant.now();
        HostCertificate made = HostCertificate.make();
        X509Certificate certificate = made.certificate();

        assertEquals(256, ((ECPublicKey) made.key().getPublic()).getParams().getCurve().getField().getFieldSize());
        assertEquals(made.key().getPublic(), certificate.getPublicKey());
        certificate.verify(made.key().getPublic());
        assertEquals("CN=coproc host", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        Duration fromNow = Duration.between(before, certificate.getNotBefore().toInstant());
        assertTrue(fromNow.compareTo(Duration.ofDays(-1).minusMinutes(1)) > 0
                && fromNow.compareTo(Duration.ofDays(-1).plusMinutes(1)) < 0, fromNow::toString);
        Duration valid = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertEquals(Duration.ofDays(3651), valid);
    }

    @Test
    void shouldFindKeytoolNextToJavaOrSayWhatToDo(@TempDir Path runtime) {
        assertTrue(Files.isExecutable(HostCertificate.keytool()));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "keytool"), HostCertificate.keytool());

        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> HostCertificate.keytool(runtime));
        assertTrue(missing.getMessage().contains(runtime.resolve("bin").resolve("keytool").toString())
                && missing.getMessage().contains("full JDK"), missing::getMessage);
    }

    @Test
    void shouldMakeADifferentKeyEachTimeAndLeaveNoKeyStoreBehind() throws Exception {
        java.util.Set<Path> before = stores();
        HostCertificate first = HostCertificate.make();
        HostCertificate second = HostCertificate.make();
        assertFalse(first.key().getPublic().equals(second.key().getPublic()), "a fresh key per certificate");
        assertEquals(before, stores(), "the private key stores were deleted");
    }

    private static java.util.Set<Path> stores() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("coproc-tls-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void shouldTrustOnlyTheCertificateWithThePinnedFingerprint() throws Exception {
        X509Certificate host = HostCertificate.make().certificate();
        X509Certificate other = HostCertificate.make().certificate();
        PinnedTrust trust = new PinnedTrust(PinnedTrust.fingerprint(host));

        trust.checkServerTrusted(new X509Certificate[] {host}, "EC");
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {other}, "EC"));
        assertTrue(refused.getMessage().contains("is not the one this worker was given"), refused::getMessage);
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[0], "EC"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(new X509Certificate[] {host}, "EC"));
        assertArrayEquals(new X509Certificate[0], trust.getAcceptedIssuers());
    }
}
