package coproc.worker.internal;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.messenger.internal.ContextObjectInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;

/**
 * The form in which a lambda or method reference target travels to its worker when the
 * worker may call the method behind it directly, through a method handle: it then skips what
 * deserializing a lambda otherwise costs at each start (its capturing class's
 * {@code $deserializeLambda$}, the linking of its call site and the spinning of a class for
 * the lambda; about 0.8 ms of a warm start, interpreted, on a 2-CPU machine).
 *
 * <p>The host writes it in place of a {@link SerializedLambda} of the {@link WorkerTarget}
 * interface itself (see {@link #of}) when the method's class is one coproc may reach
 * privately: a class on the class path, or in a package its module opens to
 * {@code coproc.worker}. Otherwise the lambda travels as JDK serialization writes it. On
 * reading, the worker initializes the capturing class, as {@code $deserializeLambda$} would,
 * and the method's class (which a lambda's own class would initialize at its first call), and
 * resolves to a {@link WorkerTarget} that calls the method with the captured values, the
 * messenger and the argument, converted as the lambda's own class would convert them. If the
 * worker cannot reach the method after all (its modules differ from the host's), it falls
 * back to the serialized lambda. Immutable; made and read once per start.
 */
final class DirectLambda implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The type the handle is adapted to: that of {@link WorkerTarget#run}, erased. */
    private static final MethodType RUN = MethodType.methodType(void.class, Messenger.class, Object.class);
    private static final String TARGET_INTERFACE = WorkerTarget.class.getName().replace('.', '/');
    private static final String TARGET_METHOD = "run";
    private static final String TARGET_SIGNATURE = RUN.toMethodDescriptorString();

    /* Classes travel by name, resolved in readResolve: a Class field would have JDK
       serialization look up a stream descriptor of each new class, 0.2-0.5 ms in a spare. */
    private final String capturingClass;
    private final String implClass;
    private final int implMethodKind;
    private final String implMethodName;
    private final String implMethodSignature;
    private final String instantiatedMethodType;
    private final Object[] capturedArgs;

    private DirectLambda(SerializedLambda form) {
        this.capturingClass = form.getCapturingClass().replace('/', '.');
        this.implClass = form.getImplClass().replace('/', '.');
        this.implMethodKind = form.getImplMethodKind();
        this.implMethodName = form.getImplMethodName();
        this.implMethodSignature = form.getImplMethodSignature();
        this.instantiatedMethodType = form.getInstantiatedMethodType();
        Object[] captured = new Object[form.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) {
            captured[i] = form.getCapturedArg(i);
        }
        this.capturedArgs = captured;
    }

    private DirectLambda(String capturingClass, String implClass, int implMethodKind, String implMethodName,
            String implMethodSignature, String instantiatedMethodType) {
        this.capturingClass = capturingClass;
        this.implClass = implClass;
        this.implMethodKind = implMethodKind;
        this.implMethodName = implMethodName;
        this.implMethodSignature = implMethodSignature;
        this.instantiatedMethodType = instantiatedMethodType;
        this.capturedArgs = new Object[0];
    }

    /**
     * Returns the direct form of a worker target's serialized lambda, or {@code null} if it
     * has none: the lambda is not of {@link WorkerTarget} itself (a sub-interface's, say), or
     * its method's class is not one coproc may reach privately.
     *
     * @param form the serialized lambda, as the target's {@code writeReplace} made it
     * @param loader the class loader of the target's class, which sees the classes it names
     * @return the direct form, or null
     */
    static DirectLambda of(SerializedLambda form, ClassLoader loader) {
        if (!TARGET_INTERFACE.equals(form.getFunctionalInterfaceClass())
                || !TARGET_METHOD.equals(form.getFunctionalInterfaceMethodName())
                || !TARGET_SIGNATURE.equals(form.getFunctionalInterfaceMethodSignature())) {
            return null;
        }
        try {
            Class<?> impl = Class.forName(form.getImplClass().replace('/', '.'), false, loader);
            return reachable(impl) ? new DirectLambda(form) : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // it travels as serialized: its start says what is wrong, as before
        }
    }

    /**
     * Returns the direct form of a serialized lambda without asking whether coproc may reach
     * its method: for tests, as a host whose modules differ from its worker's would make it.
     *
     * @param form the serialized lambda
     * @return the direct form
     */
    static DirectLambda unchecked(SerializedLambda form) {
        return new DirectLambda(form);
    }

    /** Whether coproc may look up the class's private methods: it is in an open package. */
    private static boolean reachable(Class<?> type) {
        return type.getModule().isOpen(type.getPackageName(), DirectLambda.class.getModule());
    }

    /**
     * Resolves to the target: a method handle to the lambda's method, or, if this JVM does
     * not let coproc reach it, the lambda deserialized as JDK serialization does it. The
     * capturing class is initialized first either way, as {@code $deserializeLambda$} would
     * be run, and so is the method's class: a failing static initializer fails the decoding.
     */
    @Serial
    private Object readResolve() throws ObjectStreamException {
        return target();
    }

    /**
     * Writes a direct form that captures nothing in a compact form of its own: its names, for
     * {@link #read}. Decoding that takes no JDK serialization at all (0.15-0.25 ms of a warm
     * start, where the target's class names are new to the stream's code).
     *
     * @param out where to write
     * @throws IllegalStateException if the lambda captures values
     * @throws IOException if the stream cannot be written
     */
    void write(DataOutputStream out) throws IOException {
        if (capturedArgs.length > 0) {
            throw new IllegalStateException("A lambda that captures values travels with JDK serialization");
        }
        out.writeUTF(capturingClass);
        out.writeUTF(implClass);
        out.writeByte(implMethodKind);
        out.writeUTF(implMethodName);
        out.writeUTF(implMethodSignature);
        out.writeUTF(instantiatedMethodType);
    }

    /**
     * Reads what {@link #write} wrote and resolves it to the target, as a direct form read by
     * JDK serialization resolves.
     *
     * @param in where to read
     * @return the target
     * @throws IOException if the stream ends early, or the target's classes are not found
     */
    static Object read(DataInputStream in) throws IOException {
        return new DirectLambda(in.readUTF(), in.readUTF(), in.readByte(), in.readUTF(), in.readUTF(),
                in.readUTF()).target();
    }

    /** The target: the method through a handle, or the serialized lambda. */
    private Object target() throws ObjectStreamException {
        Class<?> capturing = resolve(capturingClass, true);
        /* A lambda's own class would initialize the method's class at its first call: a method
           handle does that through a barrier of Java code, which runs interpreted, 0.5 ms in a
           spare, where initializing it here takes the JVM's own path. */
        Class<?> impl = resolve(implClass, true);
        try {
            return new Bound(handle(capturing, impl));
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                return deserialized(capturing, impl); // which fails, if it does, as a lambda's decoding always has
            } catch (ObjectStreamException | RuntimeException failed) {
                failed.addSuppressed(e); // why the direct way did not serve either
                throw failed;
            }
        }
    }

    /**
     * Finds a class as {@link ContextObjectInputStream} does: with coproc's class loader, as
     * JDK serialization would, else with the thread's context class loader.
     */
    private static Class<?> resolve(String name, boolean initialize) throws InvalidClassException {
        try {
            return Class.forName(name, initialize, DirectLambda.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(name, initialize, context);
                } catch (ClassNotFoundException again) {
                    e.addSuppressed(again);
                }
            }
            InvalidClassException failure = new InvalidClassException(name, "the class of a lambda target is not found");
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The method handle that runs the target: the lambda's method, of fixed arity as a lambda
     * calls it, with its captured values bound, adapted first to the lambda's instantiated
     * type (the cast a lambda makes of its arguments, then their unboxing), then to
     * {@link #RUN}.
     */
    private MethodHandle handle(Class<?> capturing, Class<?> impl) throws ReflectiveOperationException {
        DirectLambda.class.getModule().addReads(impl.getModule());
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
        MethodType type = MethodType.fromMethodDescriptorString(implMethodSignature, impl.getClassLoader());
        MethodHandle method = switch (implMethodKind) {
            case MethodHandleInfo.REF_invokeStatic -> lookup.findStatic(impl, implMethodName, type);
            case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeInterface ->
                    lookup.findVirtual(impl, implMethodName, type);
            case MethodHandleInfo.REF_invokeSpecial -> lookup.findSpecial(impl, implMethodName, type, impl);
            case MethodHandleInfo.REF_newInvokeSpecial -> lookup.findConstructor(impl, type);
            default -> throw new IllegalArgumentException("Not a lambda's method kind: " + implMethodKind);
        };
        method = method.asFixedArity(); // a varargs method takes its array as it comes
        MethodHandle bound = capturedArgs.length == 0 ? method : MethodHandles.insertArguments(method, 0, capturedArgs);
        MethodType instantiated = MethodType.fromMethodDescriptorString(instantiatedMethodType,
                capturing.getClassLoader());
        return bound.asType(instantiated).asType(RUN); // WrongMethodTypeException if it does not fit
    }

    /** The lambda as JDK serialization makes it: through its capturing class's {@code $deserializeLambda$}. */
    private Object deserialized(Class<?> capturing, Class<?> impl) throws ObjectStreamException {
        SerializedLambda form = new SerializedLambda(capturing, TARGET_INTERFACE, TARGET_METHOD, TARGET_SIGNATURE,
                implMethodKind, impl.getName().replace('.', '/'), implMethodName, implMethodSignature,
                instantiatedMethodType, capturedArgs);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(form);
            }
            try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            InvalidObjectException failure = new InvalidObjectException("Cannot make the lambda "
                    + implClass + "::" + implMethodName + " of its serialized form: " + e);
            failure.initCause(e);
            throw failure;
        }
    }

    /** A worker target that runs a method handle of {@link #RUN}'s type. */
    static final class Bound implements WorkerTarget<Object> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient MethodHandle handle;

        Bound(MethodHandle handle) {
            this.handle = handle;
        }

        /** Throws what the lambda's method throws, unchanged. */
        @Override
        public void run(Messenger messenger, Object argument) throws Exception {
            try {
                handle.invokeExact(messenger, argument);
            } catch (Throwable e) {
                throw Bound.<RuntimeException>unchanged(e);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> T unchanged(Throwable e) throws T {
            throw (T) e;
        }
    }
}
