package coproc.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs every example in the order of the guide, each under a one-line header. The module's
 * main class: run with {@code java -p coproc-examples/target/modules -m coproc.examples}.
 */
public final class AllExamples {

    private AllExamples() {
    }

    /** An example's {@code main}. */
    @FunctionalInterface
    private interface Example {
        void main(String[] args) throws Exception;
    }

    /**
     * Runs the examples.
     *
     * @param args passed to each example
     * @throws Exception what an example throws; the examples after it do not run
     */
    public static void main(String[] args) throws Exception {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("WorkerResource and managing worker processes", WorkerResourceIntro::main);
        examples.put("Context managers", ContextManagers::main);
        examples.put("Sending and receiving messages", PlainMessages::main);
        examples.put("Requests", Requests::main);
        examples.put("Message availability", MessageAvailability::main);
        examples.put("Custom messages and priorities", CustomMessagesAndPriorities::main);
        examples.put("Message channels", MessageChannels::main);
        examples.put("System messages", SystemMessages::main);
        examples.put("An inspirational example", InspirationalPrinter::main);
        examples.put("A custom serializer", CustomSerializer::main);
        examples.put("Many workers: a pool", PoolMap::main);
        examples.put("Many workers: one-shot maps", OneShotMapping::main);
        examples.put("Many workers: a group of workers", ResourcePool::main);
        examples.put("The Monitor", MonitorExample::main);
        for (Map.Entry<String, Example> example : examples.entrySet()) {
            System.out.println("=== " + example.getKey() + " ===");
            example.getValue().main(args);
        }
    }
}
