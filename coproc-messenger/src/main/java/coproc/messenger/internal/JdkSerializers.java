package coproc.messenger.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Kryo serializers for the JDK types users send that Kryo cannot rebuild by itself (no no-arg
 * constructor, or fields in {@code java.base} that it may not reach): {@link UUID},
 * {@link EnumMap}, the {@code Collections.unmodifiable*} and {@code synchronized*} wrappers
 * (rebuilt as the same wrapper around a copy), sub-lists (carried as {@link ArrayList}),
 * {@code Map.entry} and {@link AbstractMap.SimpleEntry} / {@link AbstractMap.SimpleImmutableEntry},
 * {@link Path} (as its string, on the receiving side's file system), and the atomic numbers.
 * Registered as default serializers, the same on both sides of every pipe.
 */
final class JdkSerializers {

    private JdkSerializers() {
    }

    /** Adds the serializers to a new Kryo. */
    static void addTo(Kryo kryo) {
        kryo.addDefaultSerializer(UUID.class, new UuidSerializer());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, of(AtomicInteger::get, Integer.class, AtomicInteger::new));
        kryo.addDefaultSerializer(AtomicLong.class, of(AtomicLong::get, Long.class, AtomicLong::new));
        kryo.addDefaultSerializer(AtomicBoolean.class, of(AtomicBoolean::get, Boolean.class, AtomicBoolean::new));
        kryo.addDefaultSerializer(Path.of("").getClass(), of(Path::toString, String.class, Path::of));
        kryo.addDefaultSerializer(Map.entry(0, 0).getClass(), new EntrySerializer<>(Map::entry));
        kryo.addDefaultSerializer(AbstractMap.SimpleEntry.class, new EntrySerializer<>(AbstractMap.SimpleEntry::new));
        kryo.addDefaultSerializer(AbstractMap.SimpleImmutableEntry.class,
                new EntrySerializer<>(AbstractMap.SimpleImmutableEntry::new));
        List<Object> list = new ArrayList<>(List.of(0));
        Set<Object> set = new LinkedHashSet<>();
        Map<Object, Object> map = new LinkedHashMap<>();
        TreeSet<Object> sortedSet = new TreeSet<>();
        TreeMap<Object, Object> sortedMap = new TreeMap<>();
        Function<Object, Object> toList = c -> new ArrayList<>((Collection<?>) c);
        Function<Object, Object> toLinkedList = c -> new LinkedList<>((Collection<?>) c);
        Function<Object, Object> toSet = c -> new LinkedHashSet<>((Collection<?>) c);
        Function<Object, Object> toSortedSet = c -> new TreeSet<>((SortedSet<?>) c);
        Function<Object, Object> toMap = m -> new LinkedHashMap<>((Map<?, ?>) m);
        Function<Object, Object> toSortedMap = m -> new TreeMap<>((SortedMap<?, ?>) m);
        wrapper(kryo, Collections.unmodifiableList(list), toList, c -> Collections.unmodifiableList((List<?>) c));
        wrapper(kryo, Collections.unmodifiableList(new LinkedList<>()), toLinkedList,
                c -> Collections.unmodifiableList((List<?>) c));
        wrapper(kryo, Collections.unmodifiableCollection(list), toList,
                c -> Collections.unmodifiableCollection((Collection<?>) c));
        wrapper(kryo, Collections.unmodifiableSet(set), toSet, c -> Collections.unmodifiableSet((Set<?>) c));
        wrapper(kryo, Collections.unmodifiableSortedSet(sortedSet), toSortedSet,
                c -> Collections.unmodifiableSortedSet((SortedSet<?>) c));
        wrapper(kryo, Collections.unmodifiableNavigableSet(sortedSet), toSortedSet,
                c -> Collections.unmodifiableNavigableSet((TreeSet<?>) c));
        wrapper(kryo, Collections.unmodifiableMap(map), toMap, m -> Collections.unmodifiableMap((Map<?, ?>) m));
        wrapper(kryo, Collections.unmodifiableSortedMap(sortedMap), toSortedMap,
                m -> Collections.unmodifiableSortedMap((SortedMap<?, ?>) m));
        wrapper(kryo, Collections.unmodifiableNavigableMap(sortedMap), toSortedMap,
                m -> Collections.unmodifiableNavigableMap((TreeMap<?, ?>) m));
        wrapper(kryo, Collections.synchronizedList(list), toList, c -> Collections.synchronizedList((List<?>) c));
        wrapper(kryo, Collections.synchronizedList(new LinkedList<>()), toLinkedList,
                c -> Collections.synchronizedList((List<?>) c));
        wrapper(kryo, Collections.synchronizedCollection(list), toList,
                c -> Collections.synchronizedCollection((Collection<?>) c));
        wrapper(kryo, Collections.synchronizedSet(set), toSet, c -> Collections.synchronizedSet((Set<?>) c));
        wrapper(kryo, Collections.synchronizedMap(map), toMap, m -> Collections.synchronizedMap((Map<?, ?>) m));
        for (List<Object> subList : List.of(list.subList(0, 1), new LinkedList<>(list).subList(0, 1))) {
            wrapper(kryo, subList, toList, Function.identity());
        }
    }

    private static void wrapper(Kryo kryo, Object example, Function<Object, Object> copy, Function<Object, Object> wrap) {
        kryo.addDefaultSerializer(example.getClass(), new WrapperSerializer(copy, wrap));
    }

    private static <T, V> Serializer<T> of(Function<T, V> value, Class<V> type, Function<V, T> make) {
        return new ValueSerializer<>(value, type, make);
    }

    /** A type that is one value: writes the value, makes the type from it. */
    private static final class ValueSerializer<T, V> extends Serializer<T> {

        private final Function<T, V> value;
        private final Class<V> type;
        private final Function<V, T> make;

        ValueSerializer(Function<T, V> value, Class<V> type, Function<V, T> make) {
            super(false, true);
            this.value = value;
            this.type = type;
            this.make = make;
        }

        @Override
        public void write(Kryo kryo, Output output, T object) {
            kryo.writeObject(output, value.apply(object));
        }

        @Override
        public T read(Kryo kryo, Input input, Class<? extends T> ignored) {
            return make.apply(kryo.readObject(input, type));
        }
    }

    /** A wrapper collection: writes a plain copy of its content, rebuilds the wrapper around it. */
    private static final class WrapperSerializer extends Serializer<Object> {

        private final Function<Object, Object> copy;
        private final Function<Object, Object> wrap;

        WrapperSerializer(Function<Object, Object> copy, Function<Object, Object> wrap) {
            this.copy = copy;
            this.wrap = wrap;
        }

        @Override
        public void write(Kryo kryo, Output output, Object wrapper) {
            Object content;
            synchronized (wrapper) { // a synchronized wrapper's own lock, as its iterator asks
                content = copy.apply(wrapper);
            }
            kryo.writeClassAndObject(output, content);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return wrap.apply(kryo.readClassAndObject(input));
        }
    }

    /** {@code UUID}: its two longs. */
    private static final class UuidSerializer extends Serializer<UUID> {

        UuidSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, UUID uuid) {
            output.writeLong(uuid.getMostSignificantBits());
            output.writeLong(uuid.getLeastSignificantBits());
        }

        @Override
        public UUID read(Kryo kryo, Input input, Class<? extends UUID> type) {
            return new UUID(input.readLong(), input.readLong());
        }
    }

    /** A map entry: its key and value. */
    private static final class EntrySerializer<E extends Map.Entry<Object, Object>> extends Serializer<E> {

        private final java.util.function.BiFunction<Object, Object, E> make;

        EntrySerializer(java.util.function.BiFunction<Object, Object, E> make) {
            this.make = make;
        }

        @Override
        public void write(Kryo kryo, Output output, E entry) {
            kryo.writeClassAndObject(output, entry.getKey());
            kryo.writeClassAndObject(output, entry.getValue());
        }

        @Override
        public E read(Kryo kryo, Input input, Class<? extends E> type) {
            Object key = kryo.readClassAndObject(input);
            return make.apply(key, kryo.readClassAndObject(input));
        }
    }

    /**
     * {@code EnumMap}: its enum class and entries; an empty one, whose enum class cannot be
     * read without reflection, with JDK serialization, which carries it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // an EnumMap's key type is known only at run time
    private static final class EnumMapSerializer extends Serializer<EnumMap> {

        @Override
        public void write(Kryo kryo, Output output, EnumMap map) {
            output.writeVarInt(map.size(), true);
            if (map.isEmpty()) {
                output.writeBytes(javaBytes(map));
                return;
            }
            Enum<?> first = (Enum<?>) map.keySet().iterator().next();
            kryo.writeClass(output, first.getDeclaringClass());
            for (Object entry : map.entrySet()) {
                Map.Entry<Enum<?>, Object> e = (Map.Entry<Enum<?>, Object>) entry;
                output.writeVarInt(e.getKey().ordinal(), true);
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        public EnumMap read(Kryo kryo, Input input, Class<? extends EnumMap> type) {
            int size = input.readVarInt(true);
            KryoBounds.checkCount(input, size);
            if (size == 0) {
                return fromJava(input);
            }
            Class keyType = kryo.readClass(input).getType();
            Object[] constants = keyType.getEnumConstants();
            EnumMap map = new EnumMap(keyType);
            for (int i = 0; i < size; i++) {
                map.put((Enum) constants[input.readVarInt(true)], kryo.readClassAndObject(input));
            }
            return map;
        }

        private static byte[] javaBytes(EnumMap<?, ?> empty) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(empty);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] body = bytes.toByteArray();
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            framed.write(body.length >>> 8);
            framed.write(body.length);
            framed.writeBytes(body);
            return framed.toByteArray();
        }

        private static EnumMap fromJava(Input input) {
            int length = (input.readByte() & 0xff) << 8 | input.readByte() & 0xff;
            KryoBounds.checkCount(input, length);
            try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(input.readBytes(length)))) {
                in.setObjectInputFilter(info -> info.depth() > 4 || info.references() > 16 ? java.io.ObjectInputFilter.Status.REJECTED
                        : java.io.ObjectInputFilter.Status.UNDECIDED);
                return (EnumMap) in.readObject();
            } catch (IOException | ClassNotFoundException e) {
                throw new com.esotericsoftware.kryo.KryoException("Cannot read an empty EnumMap: " + e, e);
            }
        }
    }

}
