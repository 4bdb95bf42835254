package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SlurmSettings}: the slurm launcher's options, read and checked without any Slurm. */
class SlurmSettingsTest {

    private static final String LOOPBACK = "127.0.0.1";

    private static SlurmSettings withPorts(String ports) {
        return SlurmSettings.of(Map.of(SlurmSettings.ADDRESS, LOOPBACK, SlurmSettings.PORTS, ports));
    }

    @Test
    void shouldReadEveryOption() throws Exception {
        SlurmSettings settings = SlurmSettings.of(Map.of(SlurmSettings.PARTITION, "short", SlurmSettings.TIME, "10:00",
                SlurmSettings.CPUS, "4", SlurmSettings.MEMORY, "2G", SlurmSettings.SRUN_ARGUMENTS,
                "--exclusive\n--qos=low", SlurmSettings.SRUN, "/opt/slurm/srun", SlurmSettings.SCANCEL,
                "/opt/slurm/scancel", SlurmSettings.ADDRESS, LOOPBACK, SlurmSettings.PORTS, "5000-5010"));

        assertEquals(new SlurmSettings("short", "10:00", "4", "2G", List.of("--exclusive", "--qos=low"),
                "/opt/slurm/srun", "/opt/slurm/scancel", InetAddress.getByName(LOOPBACK), 5000, 5010), settings);
    }

    @Test
    void shouldLeaveToSlurmWhatIsNotGiven() throws Exception {
        assertEquals(new SlurmSettings(null, null, null, null, List.of(), "srun", "scancel",
                InetAddress.getByName(LOOPBACK), 0, 0), SlurmSettings.of(Map.of(SlurmSettings.ADDRESS, LOOPBACK)));
        assertEquals(List.of(), SlurmSettings.of(Map.of(SlurmSettings.ADDRESS, LOOPBACK,
                SlurmSettings.SRUN_ARGUMENTS, "")).srunArguments());
    }

    @Test
    void shouldTakeOnePortOrARangeOfThem() {
        assertEquals(List.of(5000, 5000), ports(withPorts("5000")));
        assertEquals(List.of(5000, 5000), ports(withPorts("5000-5000")));
        assertEquals(List.of(1, 65535), ports(withPorts(" 1 - 65535 ")));
        assertEquals(List.of(65535, 65535), ports(withPorts("65535")));
        assertEquals(List.of(0, 0), ports(withPorts("0")));
    }

    private static List<Integer> ports(SlurmSettings settings) {
        return List.of(settings.firstPort(), settings.lastPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5010-5000", "0-5000", "1-65536", "65536", "-1", "-0", "", "many", "5000-"})
    void shouldRefuseBadPortsNamingThem(String ports) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> withPorts(ports));

        assertEquals("The slurm launcher's ports are '" + ports + "'; give first-last (1-65535), one port, or 0 for"
                + " any", refused.getMessage());
    }

    @Test
    void shouldRefuseAnAddressItCannotListenOnNamingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SlurmSettings.of(Map.of(SlurmSettings.ADDRESS, "[::1")));

        assertTrue(refused.getMessage().startsWith("The slurm launcher cannot listen on '[::1': "), refused::getMessage);
        assertTrue(refused.getMessage().endsWith(". Give SlurmOptions.withAddress(...) an address of this machine that"
                + " the cluster's nodes reach"), refused::getMessage);
    }

    @Test
    void shouldRefuseAnUnknownOptionNamingItAndTheKnownOnes() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SlurmSettings.of(Map.of(SlurmSettings.ADDRESS, LOOPBACK, "queue", "short")));

        assertEquals("Unknown options of the slurm launcher: [queue]; it takes [address, cpus, memory, partition,"
                + " ports, scancel, srun, srunArguments, time]", refused.getMessage());
    }
}
