package coproc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks that the tests run on the module path and that the module exports what it should.
 *
 * <p>These tests pass only on the module path: on the class path (PIT's mutation run, see the
 * README) the queue classes sit in the unnamed module, which has no descriptor to check, so
 * they are skipped there. What the class path stands for, the queues working without a module
 * descriptor, is what every other test here checks in that run.
 */
class ModuleWiringTest {

    @Test
    void shouldRunInTheNamedModuleCoprocQueue() {
        Module module = StablePriorityQueue.class.getModule();
        assumeFalse(Boolean.getBoolean("coproc.test.onClassPath"), "PIT runs the tests on the class path on purpose");
        assertTrue(module.isNamed(), "tests must run on the module path, not the class path");
        assertEquals("coproc.queue", module.getName());
    }

    @Test
    void shouldExportExactlyItsPackageToEveryone() {
        ModuleDescriptor descriptor = descriptor();
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("coproc.queue"), exported);
        assertFalse(descriptor.exports().stream().anyMatch(ModuleDescriptor.Exports::isQualified),
                "exports must be unqualified");
    }

    @Test
    void shouldRequireNothingButJavaBase() {
        ModuleDescriptor descriptor = descriptor();
        Set<String> required = descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("java.base"), required);
    }

    private static ModuleDescriptor descriptor() {
        Module module = StablePriorityQueue.class.getModule();
        assumeFalse(Boolean.getBoolean("coproc.test.onClassPath"), "only a named module has a descriptor");
        return module.getDescriptor();
    }
}
