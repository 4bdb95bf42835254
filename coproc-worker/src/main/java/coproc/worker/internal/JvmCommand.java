package coproc.worker.internal;

import coproc.api.spi.LaunchSpec;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a worker JVM's command line: the host's {@code java}, the spec's JVM options, the
 * host's module path, class path and module options, and the worker's main class. Nothing
 * secret goes on it: other users of the machine can read it.
 */
final class JvmCommand {

    private JvmCommand() {
    }

    /**
     * The worker's command line, without its command prefix: {@code java}, its options, its
     * paths, its main class. Nothing secret goes here.
     */
    static List<String> of(LaunchSpec spec) {
        LaunchSpec.Jvm jvm = spec.jvm();
        List<String> command = new ArrayList<>();
        command.add(jvm.java() != null ? jvm.java().toString()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm.options());
        boolean onModulePath;
        if (jvm.modulePath() != null || jvm.classPath() != null) {
            onModulePath = jvm.modulePath() != null && spec.mainModule() != null;
            if (jvm.modulePath() != null) {
                command.add("--module-path");
                command.add(String.join(File.pathSeparator, jvm.modulePath()));
                command.add("--add-modules");
                command.add("ALL-MODULE-PATH"); // the target's module, which -m coproc.worker does not require
            }
            if (jvm.classPath() != null) {
                command.add("-cp");
                command.add(String.join(File.pathSeparator, jvm.classPath()));
            }
        } else {
            onModulePath = spec.mainModule() != null && JvmCommand.class.getModule().isNamed();
            command.addAll(HostJvm.MODULE_OPTIONS);
            String classPath = System.getProperty("java.class.path", "");
            if (!classPath.isEmpty()) {
                command.add("-cp");
                command.add(classPath);
            }
        }
        if (onModulePath) {
            command.add("-m");
            command.add(spec.mainModule() + "/" + spec.mainClass());
        } else {
            command.add(spec.mainClass());
        }
        return command;
    }

    /** The host JVM's module options, read once: what a worker JVM needs to see the same modules. */
    private static final class HostJvm {

        /** The -Djdk.module.* property prefixes and the options they stand for. */
        private static final Map<String, String> MODULE_FLAGS = Map.of(
                "-Djdk.module.patch.", "--patch-module",
                "-Djdk.module.addreads.", "--add-reads",
                "-Djdk.module.addexports.", "--add-exports",
                "-Djdk.module.addopens.", "--add-opens",
                "-Djdk.module.addmods.", "--add-modules",
                "-Djdk.module.limitmods=", "--limit-modules",
                "-Djdk.module.upgrade.path=", "--upgrade-module-path",
                "-Djdk.module.enable.native.access.", "--enable-native-access");

        static final List<String> MODULE_OPTIONS = moduleOptions();

        private static List<String> moduleOptions() {
            List<String> options = new ArrayList<>();
            // The host's root modules (its main module, say) are not roots of the worker's
            // -m coproc.worker: add every module the host resolved from the module path, and its
            // main module, which a host linked into a runtime image (jlink) has in the image.
            TreeSet<String> modules = new TreeSet<>();
            String modulePath = System.getProperty("jdk.module.path");
            if (modulePath != null && !modulePath.isEmpty()) {
                options.add("--module-path");
                options.add(modulePath);
                for (ResolvedModule module : ModuleLayer.boot().configuration().modules()) {
                    if (module.reference().location().map(uri -> !"jrt".equals(uri.getScheme())).orElse(false)) {
                        modules.add(module.name());
                    }
                }
            }
            String mainModule = System.getProperty("jdk.module.main");
            if (mainModule != null && !mainModule.isEmpty()) {
                modules.add(mainModule);
            }
            if (!modules.isEmpty()) {
                options.add("--add-modules");
                options.add(String.join(",", modules));
            }
            // Copy the host's module options: --patch-module and friends, as given or as the
            // -Djdk.module.* properties the launcher may turn them into (which a new JVM refuses).
            List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                for (Map.Entry<String, String> flag : MODULE_FLAGS.entrySet()) {
                    String option = flag.getValue();
                    if (argument.startsWith(option + "=")) {
                        options.add(argument);
                    } else if (argument.equals(option) && i + 1 < arguments.size()) {
                        options.add(argument);
                        options.add(arguments.get(++i));
                    } else if (argument.startsWith(flag.getKey())) {
                        options.add(option + "=" + argument.substring(argument.indexOf('=') + 1));
                    }
                }
            }
            return List.copyOf(options);
        }
    }
}
