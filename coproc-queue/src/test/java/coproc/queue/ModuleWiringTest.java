package coproc.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks that the tests run on the module path and that the module exports what it should. */
class ModuleWiringTest {

    @Test
    void shouldRunInTheNamedModuleCoprocQueue() {
        Module module = StablePriorityQueue.class.getModule();
        assertTrue(module.isNamed(), "tests must run on the module path, not the class path");
        assertEquals("coproc.queue", module.getName());
    }

    @Test
    void shouldExportExactlyItsPackageToEveryone() {
        ModuleDescriptor descriptor = StablePriorityQueue.class.getModule().getDescriptor();
        Set<String> exported = descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
        assertEquals(Set.of("coproc.queue"), exported);
        assertFalse(descriptor.exports().stream().anyMatch(ModuleDescriptor.Exports::isQualified),
                "exports must be unqualified");
    }

    @Test
    void shouldRequireNothingButJavaBase() {
        ModuleDescriptor descriptor = StablePriorityQueue.class.getModule().getDescriptor();
        Set<String> required = descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("java.base"), required);
    }
}
