package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SshSettings}: the ssh launcher's options, read and checked without any ssh. */
class SshSettingsTest {

    @Test
    void shouldReadEveryOption() {
        SshSettings settings = SshSettings.of(Map.of(SshSettings.HOSTS, "me@one,two:2222",
                SshSettings.IDENTITY_FILE, "/keys/id", SshSettings.CONFIG_FILE, "/etc/ssh.conf", SshSettings.JAVA,
                "/opt/jdk/bin/java", SshSettings.WORKING_DIRECTORY, "/scratch", SshSettings.CODE, SshSettings.SHIPPED));

        assertEquals(new SshSettings(List.of("me@one", "two:2222"), "/keys/id", "/etc/ssh.conf", "/opt/jdk/bin/java",
                "/scratch", true), settings);
    }

    @Test
    void shouldTakeTheCodeAsSharedUnlessToldOtherwise() {
        assertEquals(new SshSettings(List.of("one"), null, null, null, null, false),
                SshSettings.of(Map.of(SshSettings.HOSTS, "one")));
        assertEquals(new SshSettings(List.of("one"), null, null, null, null, false),
                SshSettings.of(Map.of(SshSettings.HOSTS, "one", SshSettings.CODE, SshSettings.SHARED)));
    }

    @Test
    void shouldRefuseAnUnknownOptionNamingItAndTheKnownOnes() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SshSettings.of(Map.of(SshSettings.HOSTS, "one", "port", "22")));

        assertEquals("Unknown options of the ssh launcher: [port]; it takes [code, configFile, hosts, identityFile,"
                + " java, workingDirectory]", refused.getMessage());
    }

    @Test
    void shouldRefuseMissingOrBlankHosts() {
        for (Map<String, String> options : List.of(Map.<String, String>of(), Map.of(SshSettings.HOSTS, " "))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SshSettings.of(options), options::toString);
            assertEquals("The ssh launcher needs hosts: give WorkerOptions.withSsh(SshOptions.hosts(\"user@host\"))",
                    refused.getMessage());
        }
    }

    @Test
    void shouldRefuseCodeThatIsNeitherSharedNorShipped() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SshSettings.of(Map.of(SshSettings.HOSTS, "one", SshSettings.CODE, "copied")));

        assertEquals("The ssh launcher's code option is 'copied'; give shared or shipped", refused.getMessage());
    }
}
