package coproc.worker.internal.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Makes a host's self-signed certificate with the JDK's {@code keytool} (the JDK has no public
 * API for it): a fresh EC P-256 key, signed with SHA-256. {@code keytool} runs as a short-lived
 * JVM and writes a PKCS #12 store into a private directory ({@code rwx------}), which is read
 * and deleted at once; its password is random and reaches {@code keytool} through its
 * environment, never its command line.
 *
 * <p>Why not a library: Bouncy Castle did this job before, and its signed jars on a module path
 * cost every JVM that has them there (the host and each worker, which gets the host's module
 * path) about 0.45 s of boot time and 0.25 s more at its first TLS use; {@code keytool} costs
 * one JVM run per host run, in the background.
 *
 * @param key the key pair
 * @param certificate its certificate
 */
record HostCertificate(KeyPair key, X509Certificate certificate) {

    /** The subject and issuer: the name says nothing about the machine or the user. */
    private static final String NAME = "CN=coproc host";
    private static final String ALIAS = "host";
    private static final String PASSWORD_VARIABLE = "COPROC_STORE_PASSWORD";
    private static final long KEYTOOL_SECONDS = 60;

    /**
     * Returns the JDK's {@code keytool}, next to this JVM's {@code java}.
     *
     * @return its path
     * @throws IllegalStateException if this runtime has none, saying what to do
     */
    static Path keytool() {
        return keytool(Path.of(System.getProperty("java.home")));
    }

    /** As {@link #keytool()}, in a given Java home: package access for tests. */
    static Path keytool(Path javaHome) {
        Path keytool = javaHome.resolve("bin").resolve("keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("Workers that connect back over TLS (the slurm launcher) need a certificate"
                    + " for this host, which coproc makes with the JDK's keytool, and there is none at " + keytool
                    + ": run the host on a full JDK, or on a runtime image whose java.base brings bin/keytool (jlink"
                    + " adds it unless --strip-native-commands is given)");
        }
        return keytool;
    }

    /**
     * Makes a key pair and its certificate. Workers pin it by fingerprint, so its dates matter
     * to no one: it is valid from a day ago (clock skew) for ten years. Takes a JVM's run.
     *
     * @return the certificate and its key
     * @throws GeneralSecurityException if {@code keytool} fails, with what it said
     * @throws IOException if the private directory cannot be made or read
     * @throws IllegalStateException if there is no {@code keytool}
     */
    static HostCertificate make() throws GeneralSecurityException, IOException {
        Path keytool = keytool();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
        Path directory = Files.createTempDirectory("coproc-tls-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path store = directory.resolve("host.p12");
        try {
            ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-J-XX:TieredStopAtLevel=1",
                    "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-dname", NAME, "-startdate", "-1d", "-validity", "3651",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", PASSWORD_VARIABLE)
                    .redirectErrorStream(true);
            builder.environment().put(PASSWORD_VARIABLE, new String(password));
            run(builder);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            X509Certificate certificate = (X509Certificate) keys.getCertificate(ALIAS);
            PrivateKey key = (PrivateKey) keys.getKey(ALIAS, password);
            return new HostCertificate(new KeyPair(certificate.getPublicKey(), key), certificate);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(directory);
        }
    }

    private static void run(ProcessBuilder builder) throws IOException, GeneralSecurityException {
        Process keytool = builder.start();
        keytool.getOutputStream().close(); // it has its password: nothing to prompt for, nothing to wait on
        String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!keytool.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS)) {
                keytool.destroyForcibly();
                throw new GeneralSecurityException("keytool did not make the host's certificate within "
                        + KEYTOOL_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            keytool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GeneralSecurityException("Interrupted while keytool made the host's certificate", e);
        }
        if (keytool.exitValue() != 0) {
            throw new GeneralSecurityException("keytool could not make the host's certificate (exit code "
                    + keytool.exitValue() + "): " + said);
        }
    }
}
