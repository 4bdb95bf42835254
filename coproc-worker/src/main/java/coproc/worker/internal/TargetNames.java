package coproc.worker.internal;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names a worker target for people: a method reference as {@code Class::method} (from the
 * {@link SerializedLambda} that serialization makes of it, which names the method, not the
 * class that happened to create the reference), a lambda as {@code Class lambda} (the class
 * it is written in), anything else by its class name.
 */
public final class TargetNames {

    private TargetNames() {
    }

    /**
     * Returns a target's name.
     *
     * @param target the target
     * @return the name
     */
    public static String describe(Object target) {
        Class<?> type = target.getClass();
        int lambda = type.getName().indexOf("$$Lambda");
        if (lambda < 0) {
            return type.getName();
        }
        SerializedLambda form = serializedForm(target);
        if (form == null) {
            return type.getName().substring(0, lambda) + " lambda";
        }
        String implClass = form.getImplClass().replace('/', '.');
        boolean methodReference = !form.getImplMethodName().startsWith("lambda$")
                && form.getImplMethodKind() != MethodHandleInfo.REF_newInvokeSpecial;
        return methodReference ? implClass + "::" + form.getImplMethodName()
                : form.getCapturingClass().replace('/', '.') + " lambda";
    }

    /**
     * Returns the names of the classes of the user's that a worker loads to decode a target: a
     * serializable lambda's capturing class (which deserializes it) and the class of the method
     * it calls; any other target's class. A lambda that does not serialize has none.
     *
     * @param target the target
     * @return the names, without repeats
     */
    static List<String> classesOf(Object target) {
        Class<?> type = target.getClass();
        if (!type.isHidden()) {
            return List.of(type.getName());
        }
        SerializedLambda form = serializedForm(target);
        if (form == null) {
            return List.of();
        }
        return Stream.of(form.getCapturingClass(), form.getImplClass()).map(name -> name.replace('/', '.'))
                .distinct().toList();
    }

    /** The serialized form of a serializable lambda, caught as it is written; null if it has none. */
    static SerializedLambda serializedForm(Object target) {
        if (!(target instanceof Serializable)) {
            return null;
        }
        try (Catcher catcher = new Catcher()) {
            catcher.writeObject(target);
            return catcher.caught;
        } catch (IOException | RuntimeException e) {
            return null; // a captured value that does not serialize: the start will say so
        }
    }

    /** Writes nowhere, and keeps the first {@link SerializedLambda} it is asked to write. */
    private static final class Catcher extends ObjectOutputStream {

        SerializedLambda caught;

        Catcher() throws IOException {
            super(OutputStream.nullOutputStream());
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object object) {
            if (caught == null && object instanceof SerializedLambda form) {
                caught = form;
            }
            return object;
        }
    }
}
