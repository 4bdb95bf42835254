package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions of class data sharing: when it is tried at all, the archive's key, which
 * archives and directories are trusted, and what pruning keeps.
 */
class ClassDataSharingTest {

    @TempDir
    Path temp;

    private Path jar(String name) throws IOException {
        Path jar = temp.resolve(name);
        Files.write(jar, new byte[] {1, 2, 3});
        return jar;
    }

    private static List<String> command(String... arguments) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(arguments));
        command.add("coproc.worker.internal.WorkerMain");
        return command;
    }

    @Test
    void shouldKeyTheSameCommandAlikeAndAChangedJarOrOptionOtherwise() throws IOException {
        Path jar = jar("app.jar");
        String key = ClassDataSharing.key(command("-cp", jar.toString()), false);

        assertNotNull(key);
        assertEquals(40, key.length());
        assertEquals(key, ClassDataSharing.key(command("-cp", jar.toString()), false));
        assertEquals(key, ClassDataSharing.key(command("-Dany.property=1", "-cp", jar.toString()), false),
                "a system property changes no class that can be shared");
        assertNotEquals(key, ClassDataSharing.key(command("-Xmx64m", "-cp", jar.toString()), false));

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        assertNotEquals(key, ClassDataSharing.key(command("-cp", jar.toString()), false), "a rebuilt jar needs a new archive");
    }

    @Test
    void shouldRehearseAStartOverTlsForTheArchiveOfWorkersThatConnectOverTls() {
        assertEquals(0, CdsTraining.rehearsal(CdsTraining.OVER_TLS, null, null), "connected, two round trips, ended");
        assertEquals(0, CdsTraining.rehearsal("1", "java", "MULTI"), "over a Unix socket, the serializer and kind given");
    }

    @Test
    void shouldKeepTheArchiveOfWorkersThatConnectOverTlsApart() throws IOException {
        Path jar = jar("app.jar");
        String tls = ClassDataSharing.key(command("-cp", jar.toString()), true);

        assertEquals(40, tls.length());
        assertEquals(tls, ClassDataSharing.key(command("-cp", jar.toString()), true));
        assertNotEquals(ClassDataSharing.key(command("-cp", jar.toString()), false), tls,
                "its training rehearses a TLS connection, which a Unix socket worker's does not");
    }

    @Test
    void shouldKeyAModulePathDirectoryByItsJars() throws IOException {
        Path modules = Files.createDirectory(temp.resolve("modules"));
        Files.write(modules.resolve("a.jar"), new byte[] {1});
        String key = ClassDataSharing.key(command("-p", modules.toString()), false);
        assertNotNull(key);

        Files.write(modules.resolve("b.jar"), new byte[] {2});
        assertNotEquals(key, ClassDataSharing.key(command("-p", modules.toString()), false), "a jar added to the module path");
    }

    @Test
    void shouldGiveNoKeyWhenADirectoryOfClassesIsOnAPath() throws IOException {
        Path classes = Files.createDirectory(temp.resolve("classes"));
        assertNotNull(ClassDataSharing.key(command("-cp", classes.toString()), false), "an empty directory holds no classes");

        Files.write(classes.resolve("Main.class"), new byte[] {1});
        assertNull(ClassDataSharing.key(command("-cp", classes.toString()), false));
        Path exploded = Files.createDirectories(temp.resolve("modules").resolve("exploded.module"));
        Files.write(exploded.resolve("module-info.class"), new byte[] {1});
        assertNull(ClassDataSharing.key(command("--module-path", exploded.getParent().toString()), false));
    }

    @Test
    void shouldRefuseCommandsThatConfigureSharingOrAnAotCacheThemselves() {
        boolean sharing = System.getProperty("java.vm.info", "").contains("sharing");
        assertEquals(sharing, ClassDataSharing.refusal(command("-Xmx64m"), Map.of()) == null,
                "a plain command is refused only by a JVM without sharing");
        for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=/tmp/a.jsa", "-XX:AOTCache=app.aot",
                "-XX:AOTMode=record", "--patch-module=m=p", "@options.txt")) {
            assertNotNull(ClassDataSharing.refusal(command(option), Map.of()), option);
        }
        String byVariable = ClassDataSharing.refusal(command(), Map.of("JAVA_TOOL_OPTIONS", "-XX:AOTCache=x.aot"));
        assertNotNull(byVariable);
        assertTrue(byVariable.contains("JAVA_TOOL_OPTIONS") || !sharing, byVariable);
    }

    @Test
    void shouldRunNoTrainingForCommandsWithSideEffects() {
        assertTrue(ClassDataSharing.sideEffects(command("-javaagent:agent.jar")));
        assertTrue(ClassDataSharing.sideEffects(command("-XX:StartFlightRecording=filename=x.jfr")));
        assertFalse(ClassDataSharing.sideEffects(command("-Xmx64m", "-ea")));
    }

    @Test
    void shouldHandOutTheArchiveOfACommandOnceItIsThere() throws IOException {
        Path jar = jar("app.jar");
        List<String> command = command("-cp", jar.toString());
        Path directory = temp.resolve("cds");
        CdsDirectory archives = CdsDirectory.open(directory);
        Path archive = archives.archive(ClassDataSharing.key(command, false));
        Files.write(archive, new byte[] {42});
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-------"));

        List<String> options = ClassDataSharing.options(command, directory, Map.of());

        if (ClassDataSharing.refusal(command, System.getenv()) == null) {
            assertEquals(List.of(ClassDataSharing.QUIET, "-XX:SharedArchiveFile=" + archive), options);
        } else {
            assertEquals(List.of(ClassDataSharing.QUIET), options);
        }
    }

    @Test
    void shouldHandOutAnAotCacheAndNeverAnAppCdsArchiveToAJdk25Worker() throws IOException {
        Path jar = jar("app.jar");
        List<String> command = new ArrayList<>(command("-cp", jar.toString()));
        command.set(0, Jdk25.javaOrSkip().toString());
        assertEquals(WorkerJdk.Archive.AOT_CACHE, WorkerJdk.of(command.get(0)).archive());
        assertEquals(WorkerJdk.Archive.APP_CDS, WorkerJdk.of("java").archive(), "this JDK 17's");
        String key = ClassDataSharing.key(command, false);
        assertNotEquals(ClassDataSharing.key(command("-cp", jar.toString()), false), key, "the worker's JDK is in the key");
        Path directory = temp.resolve("cds");
        CdsDirectory archives = CdsDirectory.open(directory);
        Files.write(archives.archive(key), new byte[] {42}, StandardOpenOption.CREATE_NEW);
        Files.setPosixFilePermissions(archives.archive(key), PosixFilePermissions.fromString("rw-------"));
        Path cache = archives.archive(key, WorkerJdk.Archive.AOT_CACHE);
        Files.write(cache, new byte[] {42});
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-------"));

        List<String> options = ClassDataSharing.options(command, directory, Map.of());

        if (ClassDataSharing.refusal(command, System.getenv()) == null) {
            assertEquals(List.of("-Xlog:aot*=off,cds*=off", "-XX:AOTCache=" + cache), options);
        } else {
            assertEquals(List.of("-Xlog:aot*=off,cds*=off"), options);
        }
        List<String> training = CdsTraining.command(command, temp.resolve("k.part"), WorkerJdk.Archive.AOT_CACHE);
        assertTrue(training.contains("-XX:AOTCacheOutput=" + temp.resolve("k.part")), training::toString);
        assertTrue(training.stream().noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit")), training::toString);
    }

    @Test
    void shouldKeepEveryWorkerQuietAboutSharingEvenWithoutIt() {
        assertEquals(List.of(ClassDataSharing.QUIET), ClassDataSharing.options(command("-Xmx64m"), null, Map.of()));
        assertEquals(List.of(ClassDataSharing.QUIET),
                ClassDataSharing.options(command("-XX:SharedArchiveFile=/tmp/mine.jsa"), temp, Map.of()));
    }

    @Test
    void shouldMakeTheDirectoryForThisUserAlone() throws IOException {
        Path directory = temp.resolve("cache").resolve("cds");
        CdsDirectory archives = CdsDirectory.open(directory);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertTrue(archives.trusted(directory, true));
        assertEquals(CdsDirectory.open(directory).path(), directory, "an existing directory opens again");
    }

    @Test
    void shouldRefuseADirectoryOthersCanEnterOrReplace() throws IOException {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException enterable = assertThrows(IOException.class, () -> CdsDirectory.open(open));
        assertTrue(enterable.getMessage().contains("not this user's alone"), enterable.getMessage());

        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException replaceable = assertThrows(IOException.class, () -> CdsDirectory.open(shared.resolve("cds")));
        assertTrue(replaceable.getMessage().contains("may be written by others"), replaceable.getMessage());
    }

    @Test
    void shouldTrustOnlyNonEmptyArchivesThatNobodyElseMayWrite() throws IOException {
        CdsDirectory archives = CdsDirectory.open(temp.resolve("cds"));
        Path good = archive(archives, "good", "rw-r--r--", 1);
        Path groupWritable = archive(archives, "group", "rw-rw-r--", 1);
        Path worldWritable = archive(archives, "world", "rw-rw-rw-", 1);
        Path empty = archive(archives, "empty", "rw-------", 0);
        Path link = Files.createSymbolicLink(archives.archive("link"), good);

        assertTrue(archives.trusted(good, false));
        assertFalse(archives.trusted(groupWritable, false));
        assertFalse(archives.trusted(worldWritable, false));
        assertFalse(archives.trusted(empty, false));
        assertFalse(archives.trusted(link, false), "a link could point anywhere");
        assertFalse(archives.trusted(archives.archive("missing"), false));
        assertFalse(archives.trusted(good, true), "an archive is not a directory");
    }

    private static Path archive(CdsDirectory archives, String key, String mode, int size) throws IOException {
        Path file = archives.archive(key);
        Files.write(file, new byte[size]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void shouldPruneTheLeastRecentlyUsedArchivesAndStaleLeftovers() throws IOException {
        CdsDirectory archives = CdsDirectory.open(temp.resolve("cds"));
        Instant now = Instant.now();
        for (int i = 0; i < 20; i++) {
            Path archive = archive(archives, "archive" + (100 + i), "rw-------", 1);
            Files.setLastModifiedTime(archive, FileTime.from(now.minus(Duration.ofMinutes(100 - i))));
        }
        Path oldPart = aged(archives.path().resolve("k.1.part"), now.minus(Duration.ofHours(2)));
        Path newPart = aged(archives.path().resolve("k.2.part"), now.minus(Duration.ofMinutes(5)));
        Path oldMarker = aged(archives.failureMarker("old"), now.minus(Duration.ofDays(2)));
        Path newMarker = aged(archives.failureMarker("new"), now.minus(Duration.ofHours(2)));

        archives.prune(now);

        TreeSet<String> left = new TreeSet<>();
        try (var files = Files.list(archives.path())) {
            files.forEach(f -> left.add(f.getFileName().toString()));
        }
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 20 - (CdsDirectory.MAX_ARCHIVES - 1); i < 20; i++) {
            expected.add("archive" + (100 + i) + ".jsa"); // the newest, leaving room for one more
        }
        expected.add(newPart.getFileName().toString());
        expected.add(newMarker.getFileName().toString());
        assertEquals(expected, left);
        assertFalse(Files.exists(oldPart));
        assertFalse(Files.exists(oldMarker));
        assertTrue(archives.failedRecently("new", now));
        assertFalse(archives.failedRecently("old", now));
    }

    private static Path aged(Path file, Instant time) throws IOException {
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, FileTime.from(time));
        return file;
    }
}
