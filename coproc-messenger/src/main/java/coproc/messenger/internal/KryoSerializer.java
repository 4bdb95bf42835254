package coproc.messenger.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ByteArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.CharArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.DoubleArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.FloatArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.IntArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.LongArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ShortArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import coproc.api.PipeClosedException;
import coproc.messenger.kryo.KryoCustomizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InaccessibleObjectException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kryo} serializer: one {@link Kryo} instance and one pair of buffers per pipe
 * direction, reused for every message.
 *
 * <p>A closed pipe gives its Kryo instances back ({@link #recycle}) to a pool that the next
 * pipes of this JVM take them from: a new Kryo takes 50 to 150 µs even once compiled (its
 * constructor sorts some 80 default serializers by subtype, one {@code isAssignableFrom} for
 * each pair), four of them a {@code thread} worker's start. Every Kryo of a JVM is configured
 * alike and the pipes of a JVM resolve classes alike, so a recycled one behaves as a new one
 * would. One whose use failed is dropped at once, and the next use takes another.
 *
 * <p>Decoding is bounded: object graphs at most {@value #MAX_DEPTH} deep, and arrays and
 * collections no longer than the bytes left in the frame could hold, checked before anything
 * is allocated for them. Objects are built with their constructors (records with their
 * canonical constructor), never through Objenesis.
 */
final class KryoSerializer implements coproc.api.spi.Serializer {

    static final int MAX_DEPTH = 512;

    /** Kryo's switch for its use of {@code sun.misc.Unsafe}. */
    static final String KRYO_UNSAFE = "kryo.unsafe";

    static {
        if (turnOffKryoUnsafe(Runtime.version().feature(), System.getProperty(KRYO_UNSAFE))) {
            System.setProperty(KRYO_UNSAFE, "false");
        }
    }

    /**
     * Whether to turn Kryo's use of {@code sun.misc.Unsafe} off before Kryo starts: on JDK 24
     * and later, whose first call of Unsafe's memory methods writes a warning to standard error
     * (JEP 498) in the host and in every worker, though Kryo needs Unsafe only for field access
     * of non-record classes, which it then does by reflection. A value the user set is kept.
     *
     * @param feature the JDK's feature release
     * @param property the {@code kryo.unsafe} property, or {@code null} if unset
     * @return whether to set it to {@code false}
     */
    static boolean turnOffKryoUnsafe(int feature, String property) {
        return feature >= 24 && property == null;
    }

    /** Kryo instances of closed pipes, for the next ones; soft, so that memory pressure clears them. */
    private static final Pool<Kryo> POOL = new Pool<>(true, true, 8) {
        @Override
        protected Kryo create() {
            return newKryo();
        }

        @Override
        protected void reset(Kryo kryo) {
            kryo.reset();
        }
    };

    /** The Kryo instance, or {@code null} after a failed use and once given back; guarded by {@code this}. */
    private Kryo kryo = POOL.obtain();
    /** Whether the Kryo was given back, the pipe being closed; guarded by {@code this}. */
    private boolean givenBack;
    private final Output output = new Output(1024, -1);
    private final Input input = new BoundedInput();

    /** Package access for tests: the Kryo instance, or {@code null} after a failed use and once given back. */
    synchronized Kryo kryo() {
        return kryo;
    }

    /**
     * Gives the Kryo instance to the pool for a pipe opened later; called once the pipe is
     * closed. Waits for a use in progress (a receive that raced with the close); a use after it
     * throws {@link GivenBack}. Idempotent.
     *
     * @return whether an instance went to the pool
     */
    synchronized boolean recycle() {
        boolean pooled = kryo != null && !givenBack;
        if (pooled) {
            POOL.free(kryo);
        }
        kryo = null;
        givenBack = true;
        return pooled;
    }

    /**
     * The Kryo instance to use: a new one after a failed use, which may leave Kryo's stacks of
     * generic types behind ({@link Kryo#reset()} does not clear them), so that a later value
     * could be written with the wrong element serializer.
     */
    private Kryo kryoInUse() {
        if (givenBack) {
            throw new GivenBack();
        }
        if (kryo == null) {
            kryo = POOL.obtain();
        }
        return kryo;
    }

    @Override
    public synchronized void serialize(Object value, OutputStream out) throws IOException {
        Kryo active = kryoInUse();
        output.reset();
        try {
            active.writeClassAndObject(output, value);
        } catch (RuntimeException | StackOverflowError e) {
            kryo = null;
            throw explain(value, e);
        }
        out.write(output.getBuffer(), 0, output.position());
    }

    @Override
    public synchronized Object deserialize(InputStream in) throws IOException {
        Kryo active = kryoInUse();
        Slice slice = in instanceof Slice s ? s : wrap(in.readAllBytes());
        input.setBuffer(slice.array(), slice.position(), slice.limit() - slice.position());
        boolean done = false;
        try {
            Object value = active.readClassAndObject(input);
            if (input.position() != slice.limit()) {
                throw new KryoException((slice.limit() - input.position()) + " bytes left over after the value");
            }
            slice.skipTo(slice.limit());
            done = true;
            return value;
        } finally {
            input.setBuffer(EMPTY);
            if (!done) {
                kryo = null;
            }
        }
    }

    /**
     * What a use of a serializer whose pipe is closed throws: a send or receive that raced
     * with the close. The codec and the decoder let it through as it is.
     */
    static final class GivenBack extends PipeClosedException {

        private static final long serialVersionUID = 1L;

        GivenBack() {
            super("This messenger is closed; it can neither send nor receive");
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private static Slice wrap(byte[] bytes) {
        return new Slice().reset(bytes, 0, bytes.length);
    }

    /** Turns Kryo's failure into one that names the class and the fix. */
    private static RuntimeException explain(Object value, Throwable e) {
        String type = value == null ? "null" : value.getClass().getName();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InaccessibleObjectException) {
                return new IllegalArgumentException("Kryo cannot serialize " + type + ": it may not access a member"
                        + " of the class (" + t.getMessage() + "). To fix it, " + fix(String.valueOf(t.getMessage()))
                        + ", or choose the 'java' serializer", e);
            }
        }
        if (e instanceof StackOverflowError) {
            return new IllegalArgumentException("Kryo cannot serialize " + type + ": the object graph is too deep or"
                    + " cyclic. Use the 'java' serializer for cyclic graphs", e);
        }
        return new IllegalArgumentException("Kryo cannot serialize " + type + ": " + e.getMessage(), e);
    }

    /** The fix for a package that is not open to Kryo, from the access failure's message. */
    static String fix(String failure) {
        Matcher m = NotOpen.PATTERN.matcher(failure);
        if (!m.find()) {
            return "open the class's package to com.esotericsoftware.kryo in its module-info.java";
        }
        String module = m.group(1);
        String pkg = m.group(2);
        String reader = m.group(3).startsWith("unnamed") ? "ALL-UNNAMED" : "com.esotericsoftware.kryo";
        if (module.startsWith("java.") || module.startsWith("jdk.") || reader.equals("ALL-UNNAMED")) {
            return "send a type of your own that carries the data (a public record in an exported package), or start"
                    + " both JVMs with '--add-opens " + module + "/" + pkg + "=" + reader + "' (for a worker, with"
                    + " WorkerOptions.withJvmOptions)";
        }
        return "add 'opens " + pkg + " to com.esotericsoftware.kryo;' to module " + module
                + "'s module-info.java, or make the class a public record in an exported package";
    }

    /** The arrays registered with a length guard. */
    static final List<Class<?>> ARRAYS = List.of(byte[].class, boolean[].class, char[].class, short[].class,
            int[].class, long[].class, float[].class, double[].class, String[].class);

    @SuppressWarnings({"unchecked", "rawtypes"}) // Kryo's serializer API is raw
    private static Kryo newKryo() {
        Kryo kryo = new Kryo(new CheckedClassResolver(), null);
        kryo.setRegistrationRequired(false);
        kryo.setWarnUnregisteredClasses(false);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy());
        /* Kryo's own serializers of these arrays, made here rather than looked up: the lookup makes them
           by reflection, trying three constructors that do not exist first, which took half of a new
           Kryo's time. Registered as the lookup registers a class, without an id: on the wire by name. */
        List<Serializer<?>> arrays = List.of(new ByteArraySerializer(), new BooleanArraySerializer(),
                new CharArraySerializer(), new ShortArraySerializer(), new IntArraySerializer(), new LongArraySerializer(),
                new FloatArraySerializer(), new DoubleArraySerializer(), new StringArraySerializer());
        for (int i = 0; i < ARRAYS.size(); i++) {
            kryo.getClassResolver().register(new Registration(ARRAYS.get(i), new KryoBounds.LengthGuard<>(arrays.get(i)),
                    DefaultClassResolver.NAME));
        }
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new KryoBounds.LengthGuard<>(new ObjectArraySerializer(k, type));
            }
        });
        /* Factories rather than classes: Kryo cannot instantiate a class of this package, which is
           not exported to it. These entries come before Kryo's own, so they take only the classes
           Kryo would give its plain collection or map serializer (and the JDK's immutable ones):
           its specialised serializers keep the rest (a TreeMap's comparator, an EnumSet...). */
        kryo.addDefaultSerializer(Collection.class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new KryoBounds.BoundedCollectionSerializer<>();
            }

            @Override
            public boolean isSupported(Class type) {
                return KryoBounds.takesOver(type, CollectionSerializer.class);
            }
        });
        kryo.addDefaultSerializer(Map.class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new KryoBounds.BoundedMapSerializer<>();
            }

            @Override
            public boolean isSupported(Class type) {
                return KryoBounds.takesOver(type, MapSerializer.class);
            }
        });
        JdkSerializers.addTo(kryo);
        for (KryoCustomizer customizer : ProviderRegistry.KRYO_CUSTOMIZERS.all()) { // in class-name order
            customizer.customize(kryo);
        }
        return kryo;
    }

    /**
     * The message of the {@link InaccessibleObjectException} for a package not open to Kryo;
     * compiled on the first such failure, not when this class is loaded.
     */
    private static final class NotOpen {

        static final Pattern PATTERN = Pattern.compile(
                "module (\\S+) does not \"(?:opens|exports) (\\S+)\" to (module com\\.esotericsoftware\\.kryo|unnamed module)");
    }
}
