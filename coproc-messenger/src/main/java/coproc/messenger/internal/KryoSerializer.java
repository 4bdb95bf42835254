package coproc.messenger.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
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

    /** Customizers, found once per JVM and applied in class-name order; or why they could not be. */
    private static final Object CUSTOMIZERS = loadCustomizers();

    private final Kryo kryo = newKryo();
    private final Output output = new Output(1024, -1);
    private final Input input = new BoundedInput();

    @Override
    public void serialize(Object value, OutputStream out) throws IOException {
        output.reset();
        try {
            kryo.writeClassAndObject(output, value);
        } catch (RuntimeException | StackOverflowError e) {
            kryo.reset();
            throw explain(value, e);
        }
        out.write(output.getBuffer(), 0, output.position());
    }

    @Override
    public Object deserialize(InputStream in) throws IOException {
        Slice slice = in instanceof Slice s ? s : wrap(in.readAllBytes());
        input.setBuffer(slice.array(), slice.position(), slice.limit() - slice.position());
        try {
            Object value = kryo.readClassAndObject(input);
            if (input.position() != slice.limit()) {
                throw new KryoException((slice.limit() - input.position()) + " bytes left over after the value");
            }
            slice.skipTo(slice.limit());
            return value;
        } catch (RuntimeException e) {
            kryo.reset();
            throw e;
        } finally {
            input.setBuffer(EMPTY);
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
                Matcher m = NotOpen.PATTERN.matcher(String.valueOf(t.getMessage()));
                String fix = m.find()
                        ? "add 'opens " + m.group(2) + " to com.esotericsoftware.kryo;' to module " + m.group(1)
                                + "'s module-info.java"
                        : "open its package to com.esotericsoftware.kryo in its module-info.java";
                return new IllegalArgumentException("Kryo cannot serialize " + type + ": it may not access a member"
                        + " of the class (" + t.getMessage() + "). To fix it, " + fix + ", or make the class a public record"
                        + " in an exported package, or choose the 'java' serializer", e);
            }
        }
        if (e instanceof StackOverflowError) {
            return new IllegalArgumentException("Kryo cannot serialize " + type + ": the object graph is too deep or"
                    + " cyclic. Use the 'java' serializer for cyclic graphs", e);
        }
        return new IllegalArgumentException("Kryo cannot serialize " + type + ": " + e.getMessage(), e);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // Kryo's serializer API is raw
    private static Kryo newKryo() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(false);
        kryo.setWarnUnregisteredClasses(false);
        kryo.setReferences(false);
        kryo.setMaxDepth(MAX_DEPTH);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy());
        for (Class<?> array : List.of(byte[].class, boolean[].class, char[].class, short[].class, int[].class,
                long[].class, float[].class, double[].class, String[].class)) {
            kryo.register(array, new LengthGuard<>(kryo.getSerializer(array)));
        }
        kryo.addDefaultSerializer(Object[].class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new LengthGuard<>(new ObjectArraySerializer(k, type));
            }
        });
        /* Factories rather than classes: Kryo cannot instantiate a class of this package, which is
           not exported to it. These entries come before Kryo's own, so they take only the classes
           Kryo would give its plain collection or map serializer (and the JDK's immutable ones):
           its specialised serializers keep the rest (a TreeMap's comparator, an EnumSet...). */
        kryo.addDefaultSerializer(Collection.class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new BoundedCollectionSerializer<>();
            }

            @Override
            public boolean isSupported(Class type) {
                return isJdkImmutable(type) || KRYO_DEFAULT.get(type) == CollectionSerializer.class;
            }
        });
        kryo.addDefaultSerializer(Map.class, new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer<?> newSerializer(Kryo k, Class type) {
                return new BoundedMapSerializer<>();
            }

            @Override
            public boolean isSupported(Class type) {
                return isJdkImmutable(type) || KRYO_DEFAULT.get(type) == MapSerializer.class;
            }
        });
        if (CUSTOMIZERS instanceof ServiceConfigurationError broken) {
            throw new IllegalStateException("A KryoCustomizer could not be loaded: " + broken.getMessage()
                    + ". Fix or remove the module that provides it: both sides of a pipe must apply the same ones",
                    broken);
        }
        for (Object customizer : (List<?>) CUSTOMIZERS) {
            ((KryoCustomizer) customizer).customize(kryo);
        }
        return kryo;
    }

    /** The customizers, or the error that stopped loading them (thrown by each new serializer). */
    private static Object loadCustomizers() {
        List<KryoCustomizer> found = new ArrayList<>();
        try {
            for (KryoCustomizer customizer : Services.load(KryoCustomizer.class)) {
                found.add(customizer);
            }
        } catch (ServiceConfigurationError e) {
            return e;
        }
        if (found.size() > 1) { // linking the comparator's lambdas costs a new worker JVM a millisecond
            found.sort(Comparator.comparing(c -> c.getClass().getName()));
        }
        return List.copyOf(found);
    }

    /** Refuses a count that the bytes left in the frame could not hold. */
    static void checkCount(Input input, int count) {
        int left = input.limit() - input.position();
        if (count < 0 || count > left) {
            throw new KryoException("Refusing a length of " + count + " elements with only " + left
                    + " bytes left in the frame");
        }
    }

    /**
     * An input that refuses a string or array length the bytes left in the frame could not
     * hold, before allocating for it: Kryo's own {@code Input} allocates first, so a 6-byte
     * string header could otherwise ask for a 2^31-character array.
     */
    private static final class BoundedInput extends Input {

        @Override
        public String readString() {
            checkUtf8Length();
            return super.readString();
        }

        @Override
        public StringBuilder readStringBuilder() {
            checkUtf8Length();
            return super.readStringBuilder();
        }

        /* Peeks at the length Kryo writes before a non-ASCII string: 6 bits in the first byte
           (0x80 marks UTF-8, 0x40 "more"), then 7 bits per byte (0x80 "more"), as length + 1. */
        private void checkUtf8Length() {
            int at = position();
            if (at >= limit() || (buffer[at] & 0x80) == 0) {
                return; // ASCII: read byte by byte, bounded by the frame
            }
            int b = buffer[at++];
            long charCountPlusOne = b & 0x3F;
            if ((b & 0x40) != 0) {
                for (int shift = 6; shift <= 27 && at < limit(); shift += 7) {
                    b = buffer[at++];
                    charCountPlusOne |= (long) (b & 0x7F) << shift;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
            }
            if (charCountPlusOne - 1 > limit() - at) {
                throw new KryoException("Refusing a string of " + (charCountPlusOne - 1) + " characters with only "
                        + (limit() - at) + " bytes left in the frame");
            }
        }

        @Override
        public byte[] readBytes(int length) {
            checkCount(this, length);
            return super.readBytes(length);
        }

        @Override
        public int[] readInts(int length) {
            checkCount(this, length);
            return super.readInts(length);
        }

        @Override
        public int[] readInts(int length, boolean optimizePositive) {
            checkCount(this, length);
            return super.readInts(length, optimizePositive);
        }

        @Override
        public long[] readLongs(int length) {
            checkCount(this, length);
            return super.readLongs(length);
        }

        @Override
        public long[] readLongs(int length, boolean optimizePositive) {
            checkCount(this, length);
            return super.readLongs(length, optimizePositive);
        }

        @Override
        public float[] readFloats(int length) {
            checkCount(this, length);
            return super.readFloats(length);
        }

        @Override
        public double[] readDoubles(int length) {
            checkCount(this, length);
            return super.readDoubles(length);
        }

        @Override
        public short[] readShorts(int length) {
            checkCount(this, length);
            return super.readShorts(length);
        }

        @Override
        public char[] readChars(int length) {
            checkCount(this, length);
            return super.readChars(length);
        }

        @Override
        public boolean[] readBooleans(int length) {
            checkCount(this, length);
            return super.readBooleans(length);
        }
    }

    /** Peeks at an array's length (Kryo writes it as length + 1) before the delegate allocates. */
    private static final class LengthGuard<T> extends Serializer<T> {

        private final Serializer<T> delegate;

        LengthGuard(Serializer<T> delegate) {
            super(true);
            this.delegate = delegate;
        }

        @Override
        public void write(Kryo kryo, Output output, T value) {
            delegate.write(kryo, output, value);
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            int start = input.position();
            int lengthPlusOne = input.readVarInt(true);
            input.setPosition(start);
            checkCount(input, lengthPlusOne - 1);
            return delegate.read(kryo, input, type);
        }

        @Override
        public T copy(Kryo kryo, T original) {
            return delegate.copy(kryo, original);
        }
    }

    /**
     * The message of the {@link InaccessibleObjectException} for a package not open to Kryo;
     * compiled on the first such failure, not when this class is loaded.
     */
    private static final class NotOpen {

        static final Pattern PATTERN = Pattern.compile(
                "module (\\S+) does not \"(?:opens|exports) (\\S+)\" to module com\\.esotericsoftware\\.kryo");
    }

    /**
     * A Kryo without our defaults, consulted for its own choice of serializer; guarded by
     * itself. Made when first consulted (for a collection or map class), not when this class is
     * loaded: in a JVM that has just started, as a worker's has, a Kryo takes milliseconds to make.
     */
    private static final class Reference {

        static final Kryo KRYO = new Kryo();
    }

    /** The class of the serializer Kryo itself would choose for a class, by default. */
    private static final ClassValue<Class<?>> KRYO_DEFAULT = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
            synchronized (Reference.KRYO) {
                return Reference.KRYO.getDefaultSerializer(type).getClass();
            }
        }
    };

    /** Whether a class is one of the JDK's immutable collections ({@code List.of}, {@code Map.of}...). */
    private static boolean isJdkImmutable(Class<?> type) {
        return type.getName().startsWith("java.util.ImmutableCollections$");
    }

    /**
     * A collection serializer that checks the announced size before allocating. A JDK immutable
     * list or set is read into a mutable one, then copied with {@code List.copyOf} or
     * {@code Set.copyOf}.
     */
    public static final class BoundedCollectionSerializer<T extends Collection<Object>> extends CollectionSerializer<T> {

        /** Creates the serializer. */
        public BoundedCollectionSerializer() {
        }

        @Override
        @SuppressWarnings("unchecked")
        protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
            checkCount(input, size);
            if (isJdkImmutable(type)) {
                return (T) new ArrayList<Object>(size);
            }
            return super.create(kryo, input, type, size);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            T collection = super.read(kryo, input, type);
            if (collection == null || !isJdkImmutable(type)) {
                return collection;
            }
            return (T) (Set.class.isAssignableFrom(type) ? Set.copyOf(collection) : List.copyOf(collection));
        }
    }

    /**
     * A map serializer that checks the announced size before allocating. A JDK immutable map is
     * read into a mutable one, then copied with {@code Map.copyOf}.
     */
    public static final class BoundedMapSerializer<T extends Map<Object, Object>> extends MapSerializer<T> {

        /** Creates the serializer. */
        public BoundedMapSerializer() {
        }

        @Override
        @SuppressWarnings("unchecked")
        protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
            checkCount(input, size);
            if (isJdkImmutable(type)) {
                return (T) new HashMap<Object, Object>();
            }
            return super.create(kryo, input, type, size);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(Kryo kryo, Input input, Class<? extends T> type) {
            T map = super.read(kryo, input, type);
            if (map == null || !isJdkImmutable(type)) {
                return map;
            }
            return (T) Map.copyOf(map);
        }
    }
}
