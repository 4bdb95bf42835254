package coproc.examples.bench;

import com.esotericsoftware.kryo.Kryo;
import coproc.messenger.kryo.KryoCustomizer;

/**
 * Registers the benchmark's record with Kryo in the host and the workers, so its class name
 * is not written in every message.
 */
public final class BenchKryo implements KryoCustomizer {

    /** Creates the customizer; called by {@link java.util.ServiceLoader}. */
    public BenchKryo() {
    }

    @Override
    public void customize(Kryo kryo) {
        kryo.register(Benchmark.Sample.class);
    }
}
