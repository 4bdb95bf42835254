package coproc.worker.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Sends a worker's code to a remote host and rewrites its command line to use the copies:
 * each jar of its module path, class path and patches goes, once per content, to
 * {@code ~/.cache/coproc/code/<sha-256>/<its name>} (its name kept: an automatic module's name
 * comes from it); a directory goes as a jar made of it. What the remote host has already is
 * not sent again.
 */
final class CodeShipper {

    /** The options whose value is a path list, and {@code --patch-module}, whose value is {@code module=paths}. */
    private static final Set<String> PATH_OPTIONS = Set.of("--module-path", "-p", "-cp", "-classpath", "--class-path",
            "--upgrade-module-path");
    private static final String CACHE = ".cache/coproc/code";
    /** What a local path was last packed as: its fingerprint and its artifact. */
    private static final Map<Path, Artifact> PACKED = new ConcurrentHashMap<>();

    private CodeShipper() {
    }

    /** A jar to send: its content hash, the name it keeps, and its bytes. */
    private record Artifact(String fingerprint, String hash, String name, byte[] bytes) {
    }

    /**
     * Sends what the host lacks and returns the command line with remote paths.
     *
     * @param command the worker's command line, with local paths
     * @param connection the connection to the host
     * @return the command line for the remote host
     * @throws IOException if a file cannot be read or sent
     */
    static List<String> ship(List<String> command, SshConnection connection) throws IOException {
        List<String> remote = new ArrayList<>(command);
        String cache = connection.remoteHome() + "/" + CACHE;
        for (int i = 0; i < remote.size() - 1; i++) {
            String option = remote.get(i);
            if (PATH_OPTIONS.contains(option)) {
                remote.set(i + 1, shipAll(remote.get(i + 1), connection, cache));
            } else if (option.equals("--patch-module")) {
                String value = remote.get(i + 1);
                int equals = value.indexOf('=');
                remote.set(i + 1, value.substring(0, equals + 1)
                        + shipAll(value.substring(equals + 1), connection, cache));
            }
        }
        return remote;
    }

    private static String shipAll(String paths, SshConnection connection, String cache) throws IOException {
        List<String> shipped = new ArrayList<>();
        for (String entry : paths.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (!Files.exists(path)) {
                continue; // as java does with a missing entry
            }
            Artifact artifact = packed(path);
            String remote = cache + "/" + artifact.hash() + "/" + artifact.name();
            synchronized (connection) {
                if (!connection.shipped().contains(artifact.hash())) {
                    connection.run("test -f " + Shell.quote(remote) + " || { mkdir -p " + Shell.quote(cache + "/"
                            + artifact.hash()) + " && cat > " + Shell.quote(remote) + ".$$ && mv -f "
                            + Shell.quote(remote) + ".$$ " + Shell.quote(remote) + "; }", artifact.bytes());
                    connection.shipped().add(artifact.hash());
                }
            }
            shipped.add(remote);
        }
        return String.join(":", shipped);
    }

    /** A path as a jar to send: the jar itself, or a jar made of the directory; reused while the path is unchanged. */
    private static Artifact packed(Path path) throws IOException {
        String fingerprint = fingerprint(path);
        Artifact known = PACKED.get(path);
        if (known != null && known.fingerprint().equals(fingerprint)) {
            return known;
        }
        byte[] bytes = Files.isDirectory(path) ? jarOf(path) : Files.readAllBytes(path);
        String name = Files.isDirectory(path) ? path.getFileName() + ".jar" : path.getFileName().toString();
        Artifact artifact = new Artifact(fingerprint, sha256(bytes), name, bytes);
        PACKED.put(path, artifact);
        return artifact;
    }

    /** The sizes and modification times of a file, or of every file under a directory. */
    private static String fingerprint(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            StringBuilder text = new StringBuilder();
            files.filter(Files::isRegularFile).sorted().forEach(file -> {
                try {
                    text.append(file).append(Files.size(file)).append(Files.getLastModifiedTime(file)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return text.toString();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A jar of a directory's files, the same bytes for the same files: sorted, with one fixed time. */
    private static byte[] jarOf(Path directory) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/'));
                entry.setTime(315532800000L); // 1980-01-01, the zip format's first day
                jar.putNextEntry(entry);
                Files.copy(file, jar);
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
    }
}
