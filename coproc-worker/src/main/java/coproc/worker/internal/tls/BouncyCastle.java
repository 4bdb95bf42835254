package coproc.worker.internal.tls;

/**
 * Whether this JVM can use Bouncy Castle's {@code bcpkix}, an optional dependency of
 * {@code coproc.worker} that only a host making TLS certificates needs.
 */
final class BouncyCastle {

    static final String MODULE = "org.bouncycastle.pkix";
    private static final String CLASS = "org/bouncycastle/cert/jcajce/JcaX509v3CertificateBuilder.class";
    private static final String DEPENDENCY = "org.bouncycastle:bcpkix-jdk18on";

    private BouncyCastle() {
    }

    /**
     * Checks that {@code bcpkix} can be used here.
     *
     * @throws IllegalStateException if it cannot, saying what to add
     */
    static void check() {
        Module self = BouncyCastle.class.getModule();
        if (!self.isNamed()) {
            if (ClassLoader.getSystemResource(CLASS) == null
                    && BouncyCastle.class.getClassLoader().getResource(CLASS) == null) {
                throw new IllegalStateException(missing());
            }
            return;
        }
        ModuleLayer layer = self.getLayer() == null ? ModuleLayer.boot() : self.getLayer();
        if (layer.findModule(MODULE).filter(self::canRead).isEmpty()) {
            throw new IllegalStateException(missing() + ". On the module path, the module " + MODULE + " must also"
                    + " be resolved: add 'requires " + MODULE + ";' to your module-info.java, or start java with"
                    + " --add-modules " + MODULE);
        }
    }

    private static String missing() {
        return "Workers that connect back over TLS (the slurm launcher) need a certificate for this host, which coproc"
                + " makes with Bouncy Castle: add the dependency " + DEPENDENCY + " (Maven: <groupId>org.bouncycastle"
                + "</groupId><artifactId>bcpkix-jdk18on</artifactId>) to the host's module path or class path";
    }
}
