/**
 * The examples of coproc: every example of the coproc guide as a program, and the
 * benchmarks.
 *
 * <p>Run them all, in the guide's order, each under a one-line header:
 * <pre>{@code
 * java -p coproc-examples/target/modules -m coproc.examples
 * }</pre>
 * or one of them:
 * <pre>{@code
 * java -p coproc-examples/target/modules -m coproc.examples/coproc.examples.MessageChannels
 * }</pre>
 * ({@code mvn package} fills {@code target/modules} with this module and every module it
 * needs.) The examples are {@link coproc.examples.WorkerResourceIntro},
 * {@link coproc.examples.ContextManagers}, {@link coproc.examples.PlainMessages},
 * {@link coproc.examples.Requests}, {@link coproc.examples.MessageAvailability},
 * {@link coproc.examples.CustomMessagesAndPriorities}, {@link coproc.examples.MessageChannels},
 * {@link coproc.examples.SystemMessages}, {@link coproc.examples.InspirationalPrinter},
 * {@link coproc.examples.CustomSerializer}; for many workers at once,
 * {@link coproc.examples.PoolMap}, {@link coproc.examples.OneShotMapping} and
 * {@link coproc.examples.ResourcePool}; and {@link coproc.examples.MonitorExample};
 * {@link coproc.examples.AllExamples} runs them all.
 *
 * <p>The module exports nothing: it is run, not used. It opens its packages to Kryo, which
 * needs to reach the records the examples send, and to {@code coproc.worker}, whose workers
 * then call the targets' methods directly.
 *
 * <p>The benchmark: {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.bench.Benchmark [--quick] [--csv FILE] [--only SECTION]}.
 *
 * @provides coproc.messenger.kryo.KryoCustomizer registers the benchmark's record
 */
module coproc.examples {
    requires coproc.worker;
    // The queue benchmark uses coproc.queue directly; coproc.worker does not re-export it.
    requires coproc.queue;
    // The custom serializer example reads the tracing serializer's counters.
    requires coproc.examples.serializer;

    // The examples send their own records (DataMessage, StartPrinting, ...) with the default
    // serializer, Kryo, which reads record components reflectively. This module exports
    // nothing, so Kryo may only reach them if the package is opened to it. (JDK serialization,
    // which carries the worker targets and the exceptions, needs no such line.)
    // Opened to coproc.worker too, the worker targets travel in a direct form: the worker calls
    // their methods through method handles instead of deserializing the lambdas, which takes
    // about 0.8 ms off a start from a spare JVM. Without it they work the same.
    opens coproc.examples to com.esotericsoftware.kryo, coproc.worker;
    // The benchmark's record and targets, likewise; and its registration, which saves writing
    // the record's class name in every message.
    opens coproc.examples.bench to com.esotericsoftware.kryo, coproc.worker;
    provides coproc.messenger.kryo.KryoCustomizer with coproc.examples.bench.BenchKryo;
}
