package coproc.messenger.internal;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import com.esotericsoftware.kryo.serializers.TaggedFieldSerializer;
import com.esotericsoftware.kryo.serializers.VersionFieldSerializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Kryo's class resolver, with a check of each class the first time a pipe end meets it: a
 * class that the other side could not rebuild is refused then, at send, with the fix in the
 * message, instead of failing on the other side. Refused: a lambda or another hidden class
 * (code, not data), and a class whose serializer builds it with a no-arg constructor that it
 * lacks (a final class with only a constructor taking its fields, say), or that is hidden in a
 * JDK package Kryo may not open (the JDK's reverse-order comparator, say). The check runs once
 * per class and Kryo instance (a pipe end's, and then, recycled, a later pipe's), when the
 * class is registered; a class refused is checked again at its next send. Used by one thread
 * at a time, as its Kryo is.
 */
final class CheckedClassResolver extends DefaultClassResolver {

    @Override
    @SuppressWarnings("rawtypes") // Kryo's API is raw
    public Registration registerImplicit(Class type) {
        check(type);
        return super.registerImplicit(type);
    }

    /** Kryo's serializers that build an object with its no-arg constructor (ours, for collections and maps, too). */
    private static final Set<Class<?>> INSTANTIATING = Set.of(FieldSerializer.class, CompatibleFieldSerializer.class,
            TaggedFieldSerializer.class, VersionFieldSerializer.class, CollectionSerializer.class, MapSerializer.class,
            KryoBounds.BoundedCollectionSerializer.class, KryoBounds.BoundedMapSerializer.class);

    private static Constructor<?> noArgConstructor(Class<?> type) {
        try {
            return type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static KryoException noConstructor(Class<?> type) {
        return new KryoException("Kryo cannot create " + type.getName() + " on the other side: it has no no-arg"
                + " constructor. Add one (it may be private, in a package opened to com.esotericsoftware.kryo), or make"
                + " the class a record, or register a serializer for it through a KryoCustomizer, or choose the"
                + " 'java' serializer");
    }

    private void check(Class<?> type) {
        if (type.isHidden() || type.getName().contains("$$Lambda")) {
            throw new KryoException(type.getName() + " is a lambda or another hidden class: code, which cannot be"
                    + " rebuilt on the other side. Send data: a record, or a named class with a no-arg constructor"
                    + " (for a comparator, say, a class of your own, or Comparator.naturalOrder())");
        }
        if (type.isArray() || type.isPrimitive() || type.isEnum() || type.isRecord() || type.isInterface()) {
            return;
        }
        Constructor<?> constructor = noArgConstructor(type);
        Serializer<?> serializer;
        try {
            serializer = kryo.getDefaultSerializer(type);
        } catch (RuntimeException e) {
            if (constructor == null && !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
                // Both problems at once: say both fixes.
                KryoException both = noConstructor(type);
                throw new KryoException(both.getMessage() + ". Besides, Kryo may not reach its fields (" + e.getMessage()
                        + "): " + KryoSerializer.fix(String.valueOf(e.getMessage())));
            }
            throw e;
        }
        if (!INSTANTIATING.contains(serializer.getClass()) || KryoBounds.isJdkImmutable(type)) {
            return; // a serializer that builds its objects itself
        }
        if (constructor == null) {
            throw noConstructor(type);
        }
        Module module = type.getModule();
        if (module.isNamed() && module.getName().startsWith("java.") && !Modifier.isPublic(constructor.getModifiers())
                && !module.isOpen(type.getPackageName(), KryoException.class.getModule())) {
            throw new KryoException("Kryo cannot create " + type.getName() + " on the other side: its constructor is"
                    + " not public and " + module.getName() + " does not open " + type.getPackageName() + " to Kryo."
                    + " Send a type of your own that carries the data, or start both JVMs with '--add-opens "
                    + module.getName() + "/" + type.getPackageName() + "=com.esotericsoftware.kryo', or choose the"
                    + " 'java' serializer");
        }
    }
}
