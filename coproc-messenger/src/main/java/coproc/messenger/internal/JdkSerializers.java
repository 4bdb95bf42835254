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
import java.util.HashMap;
import java.util.HashSet;
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

    /**
     * The kinds of wrapper and view this class rebuilds: how to copy the content and how to
     * wrap it again. A switch, not lambdas: a new worker JVM links every lambda it meets, and
     * each costs it time on its start.
     */
    private enum Wrapper {
        UNMODIFIABLE_LIST, UNMODIFIABLE_SEQUENTIAL_LIST, UNMODIFIABLE_COLLECTION, UNMODIFIABLE_SET,
        UNMODIFIABLE_SORTED_SET, UNMODIFIABLE_NAVIGABLE_SET, UNMODIFIABLE_MAP, UNMODIFIABLE_SORTED_MAP,
        UNMODIFIABLE_NAVIGABLE_MAP, SYNCHRONIZED_LIST, SYNCHRONIZED_SEQUENTIAL_LIST, SYNCHRONIZED_COLLECTION,
        SYNCHRONIZED_SET, SYNCHRONIZED_MAP, SUB_LIST, SEQUENTIAL_SUB_LIST;

        /** The wrapper's JDK class. */
        Class<?> type() {
            List<Object> list = new ArrayList<>(List.of(0));
            List<Object> linked = new LinkedList<>(list);
            return switch (this) {
                case UNMODIFIABLE_LIST -> Collections.unmodifiableList(list).getClass();
                case UNMODIFIABLE_SEQUENTIAL_LIST -> Collections.unmodifiableList(linked).getClass();
                case UNMODIFIABLE_COLLECTION -> Collections.unmodifiableCollection(list).getClass();
                case UNMODIFIABLE_SET -> Collections.unmodifiableSet(new HashSet<>()).getClass();
                case UNMODIFIABLE_SORTED_SET -> Collections.unmodifiableSortedSet(new TreeSet<>()).getClass();
                case UNMODIFIABLE_NAVIGABLE_SET -> Collections.unmodifiableNavigableSet(new TreeSet<>()).getClass();
                case UNMODIFIABLE_MAP -> Collections.unmodifiableMap(new HashMap<>()).getClass();
                case UNMODIFIABLE_SORTED_MAP -> Collections.unmodifiableSortedMap(new TreeMap<>()).getClass();
                case UNMODIFIABLE_NAVIGABLE_MAP -> Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass();
                case SYNCHRONIZED_LIST -> Collections.synchronizedList(list).getClass();
                case SYNCHRONIZED_SEQUENTIAL_LIST -> Collections.synchronizedList(linked).getClass();
                case SYNCHRONIZED_COLLECTION -> Collections.synchronizedCollection(list).getClass();
                case SYNCHRONIZED_SET -> Collections.synchronizedSet(new HashSet<>()).getClass();
                case SYNCHRONIZED_MAP -> Collections.synchronizedMap(new HashMap<>()).getClass();
                case SUB_LIST -> list.subList(0, 1).getClass();
                case SEQUENTIAL_SUB_LIST -> linked.subList(0, 1).getClass();
            };
        }

        /** A plain copy of the wrapper's content, which Kryo's own serializers carry. */
        Object copy(Object wrapper) {
            return switch (this) {
                case UNMODIFIABLE_LIST, UNMODIFIABLE_COLLECTION, SYNCHRONIZED_LIST, SYNCHRONIZED_COLLECTION, SUB_LIST,
                        SEQUENTIAL_SUB_LIST -> new ArrayList<>((Collection<?>) wrapper);
                case UNMODIFIABLE_SEQUENTIAL_LIST, SYNCHRONIZED_SEQUENTIAL_LIST -> new LinkedList<>((Collection<?>) wrapper);
                case UNMODIFIABLE_SET, SYNCHRONIZED_SET -> new LinkedHashSet<>((Collection<?>) wrapper);
                case UNMODIFIABLE_SORTED_SET, UNMODIFIABLE_NAVIGABLE_SET -> new TreeSet<>((SortedSet<?>) wrapper);
                case UNMODIFIABLE_MAP, SYNCHRONIZED_MAP -> new LinkedHashMap<>((Map<?, ?>) wrapper);
                case UNMODIFIABLE_SORTED_MAP, UNMODIFIABLE_NAVIGABLE_MAP -> new TreeMap<>((SortedMap<?, ?>) wrapper);
            };
        }

        /** The wrapper around a copy read back; a view comes back as the copy itself. */
        @SuppressWarnings("unchecked") // the copy is what copy() made for this kind
        Object wrap(Object copy) {
            return switch (this) {
                case UNMODIFIABLE_LIST, UNMODIFIABLE_SEQUENTIAL_LIST -> Collections.unmodifiableList((List<Object>) copy);
                case UNMODIFIABLE_COLLECTION -> Collections.unmodifiableCollection((Collection<Object>) copy);
                case UNMODIFIABLE_SET -> Collections.unmodifiableSet((Set<Object>) copy);
                case UNMODIFIABLE_SORTED_SET -> Collections.unmodifiableSortedSet((SortedSet<Object>) copy);
                case UNMODIFIABLE_NAVIGABLE_SET -> Collections.unmodifiableNavigableSet((TreeSet<Object>) copy);
                case UNMODIFIABLE_MAP -> Collections.unmodifiableMap((Map<Object, Object>) copy);
                case UNMODIFIABLE_SORTED_MAP -> Collections.unmodifiableSortedMap((SortedMap<Object, Object>) copy);
                case UNMODIFIABLE_NAVIGABLE_MAP -> Collections.unmodifiableNavigableMap((TreeMap<Object, Object>) copy);
                case SYNCHRONIZED_LIST, SYNCHRONIZED_SEQUENTIAL_LIST -> Collections.synchronizedList((List<Object>) copy);
                case SYNCHRONIZED_COLLECTION -> Collections.synchronizedCollection((Collection<Object>) copy);
                case SYNCHRONIZED_SET -> Collections.synchronizedSet((Set<Object>) copy);
                case SYNCHRONIZED_MAP -> Collections.synchronizedMap((Map<Object, Object>) copy);
                case SUB_LIST, SEQUENTIAL_SUB_LIST -> copy;
            };
        }
    }

    /** The wrapper classes, found once per JVM. */
    private static final Class<?>[] WRAPPER_TYPES = wrapperTypes();

    private static Class<?>[] wrapperTypes() {
        Wrapper[] kinds = Wrapper.values();
        Class<?>[] types = new Class<?>[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            types[i] = kinds[i].type();
        }
        return types;
    }

    /** Adds the serializers to a new Kryo. */
    static void addTo(Kryo kryo) {
        kryo.addDefaultSerializer(UUID.class, new UuidSerializer());
        kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer());
        kryo.addDefaultSerializer(AtomicInteger.class, new ValueSerializer(Value.ATOMIC_INTEGER));
        kryo.addDefaultSerializer(AtomicLong.class, new ValueSerializer(Value.ATOMIC_LONG));
        kryo.addDefaultSerializer(AtomicBoolean.class, new ValueSerializer(Value.ATOMIC_BOOLEAN));
        kryo.addDefaultSerializer(PATH_TYPE, new ValueSerializer(Value.PATH));
        kryo.addDefaultSerializer(ENTRY_TYPE, new EntrySerializer(Entry.MAP_ENTRY));
        kryo.addDefaultSerializer(AbstractMap.SimpleEntry.class, new EntrySerializer(Entry.SIMPLE));
        kryo.addDefaultSerializer(AbstractMap.SimpleImmutableEntry.class, new EntrySerializer(Entry.SIMPLE_IMMUTABLE));
        Wrapper[] kinds = Wrapper.values();
        for (int i = 0; i < kinds.length; i++) {
            kryo.addDefaultSerializer(WRAPPER_TYPES[i], new WrapperSerializer(kinds[i]));
        }
    }

    private static final Class<?> PATH_TYPE = Path.of("").getClass();
    private static final Class<?> ENTRY_TYPE = Map.entry(0, 0).getClass();

    /** The types that are one value. */
    private enum Value {
        ATOMIC_INTEGER, ATOMIC_LONG, ATOMIC_BOOLEAN, PATH
    }

    /** A type that is one value: writes the value, makes the type from it. */
    private static final class ValueSerializer extends Serializer<Object> {

        private final Value kind;

        ValueSerializer(Value kind) {
            super(false, true);
            this.kind = kind;
        }

        @Override
        public void write(Kryo kryo, Output output, Object object) {
            switch (kind) {
                case ATOMIC_INTEGER -> output.writeVarInt(((AtomicInteger) object).get(), false);
                case ATOMIC_LONG -> output.writeVarLong(((AtomicLong) object).get(), false);
                case ATOMIC_BOOLEAN -> output.writeBoolean(((AtomicBoolean) object).get());
                case PATH -> output.writeString(object.toString());
            }
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> ignored) {
            return switch (kind) {
                case ATOMIC_INTEGER -> new AtomicInteger(input.readVarInt(false));
                case ATOMIC_LONG -> new AtomicLong(input.readVarLong(false));
                case ATOMIC_BOOLEAN -> new AtomicBoolean(input.readBoolean());
                case PATH -> Path.of(input.readString());
            };
        }
    }

    /** A wrapper collection: writes a plain copy of its content, rebuilds the wrapper around it. */
    private static final class WrapperSerializer extends Serializer<Object> {

        private final Wrapper kind;

        WrapperSerializer(Wrapper kind) {
            this.kind = kind;
        }

        @Override
        public void write(Kryo kryo, Output output, Object wrapper) {
            Object content;
            synchronized (wrapper) { // a synchronized wrapper's own lock, as its iterator asks
                content = kind.copy(wrapper);
            }
            kryo.writeClassAndObject(output, content);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            return kind.wrap(kryo.readClassAndObject(input));
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

    /** The entry types. */
    private enum Entry {
        MAP_ENTRY, SIMPLE, SIMPLE_IMMUTABLE
    }

    /** A map entry: its key and value. */
    private static final class EntrySerializer extends Serializer<Map.Entry<?, ?>> {

        private final Entry kind;

        EntrySerializer(Entry kind) {
            this.kind = kind;
        }

        @Override
        public void write(Kryo kryo, Output output, Map.Entry<?, ?> entry) {
            kryo.writeClassAndObject(output, entry.getKey());
            kryo.writeClassAndObject(output, entry.getValue());
        }

        @Override
        public Map.Entry<?, ?> read(Kryo kryo, Input input, Class<? extends Map.Entry<?, ?>> type) {
            Object key = kryo.readClassAndObject(input);
            Object value = kryo.readClassAndObject(input);
            return switch (kind) {
                case MAP_ENTRY -> Map.entry(key, value);
                case SIMPLE -> new AbstractMap.SimpleEntry<>(key, value);
                case SIMPLE_IMMUTABLE -> new AbstractMap.SimpleImmutableEntry<>(key, value);
            };
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
