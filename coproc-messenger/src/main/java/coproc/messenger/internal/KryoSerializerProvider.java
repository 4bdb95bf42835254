package coproc.messenger.internal;

import coproc.api.spi.Serializer;
import coproc.api.spi.SerializerProvider;

/** Provides the default serializer, {@code kryo}. */
public final class KryoSerializerProvider implements SerializerProvider {

    /** The name users select this serializer by. */
    public static final String NAME = "kryo";

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public KryoSerializerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Serializer create() {
        return new KryoSerializer();
    }
}
