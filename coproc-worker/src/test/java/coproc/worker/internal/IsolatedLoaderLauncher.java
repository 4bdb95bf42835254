package coproc.worker.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a host the way application launchers do, with coproc and the application loaded by a
 * class loader of the launcher's rather than from {@code java.class.path}: as {@code mvn
 * exec:java} does ({@code plain}: a {@link URLClassLoader} over plain jars and directories), or
 * as a Spring Boot jar of jars does ({@code nested}: classes whose code source is a jar inside a
 * jar, which no new JVM can read). Arguments: the mode, the host's main class, then the class
 * path entries; the host's main gets the entries as its arguments.
 */
public final class IsolatedLoaderLauncher {

    private IsolatedLoaderLauncher() {
    }

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : Arrays.copyOfRange(args, 2, args.length)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        URL[] array = urls.toArray(new URL[0]);
        ClassLoader loader = args[0].equals("nested") ? new NestedJarLoader(array)
                : new URLClassLoader(array, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> host = Class.forName(args[1], true, loader);
        host.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }

    /** Defines every class as coming from a jar inside a jar, and lists no plain file. */
    static final class NestedJarLoader extends URLClassLoader {

        private final CodeSource nested;

        NestedJarLoader(URL[] urls) throws MalformedURLException {
            super(urls, ClassLoader.getPlatformClassLoader());
            nested = new CodeSource(new URL("jar:file:" + File.separator + "app.jar!/BOOT-INF/lib/app-libs.jar!/"),
                    (CodeSigner[]) null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            URL resource = findResource(name.replace('.', '/') + ".class");
            if (resource == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = resource.openStream()) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length, new ProtectionDomain(nested, null, this, null));
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public URL[] getURLs() {
            return new URL[0];
        }
    }
}
