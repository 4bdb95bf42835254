package coproc.messenger.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounds of Kryo decoding: serializers for arrays, collections and maps that refuse a
 * length the bytes left in the frame could not hold, before anything is allocated for it.
 * The string and primitive-array bounds are in {@link BoundedInput}.
 */
final class KryoBounds {

    private KryoBounds() {
    }

    /** Refuses a count that the bytes left in the frame could not hold. */
    static void checkCount(Input input, int count) {
        int left = input.limit() - input.position();
        if (count < 0 || count > left) {
            throw new KryoException("Refusing a length of " + count + " elements with only " + left
                    + " bytes left in the frame");
        }
    }

    /** Peeks at an array's length (Kryo writes it as length + 1) before the delegate allocates. */
    static final class LengthGuard<T> extends Serializer<T> {

        private final Serializer<T> delegate;

        LengthGuard(Serializer<T> delegate) {
            super(true);
            this.delegate = delegate;
        }

        /** Package access for tests: the serializer it guards. */
        Serializer<T> delegate() {
            return delegate;
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

    /**
     * Whether a bounded serializer takes a class over: one of the JDK's immutable collections,
     * or a class for which Kryo would choose its plain serializer of that kind.
     */
    static boolean takesOver(Class<?> type, Class<?> kryoChoice) {
        return isJdkImmutable(type) || KRYO_DEFAULT.get(type) == kryoChoice;
    }

    /** Whether a class is one of the JDK's immutable collections ({@code List.of}, {@code Map.of}...). */
    static boolean isJdkImmutable(Class<?> type) {
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
