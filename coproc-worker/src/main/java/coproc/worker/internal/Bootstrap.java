package coproc.worker.internal;

import coproc.api.WorkerTarget;
import coproc.api.spi.LaunchSpec;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.internal.ContextObjectInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What the host and the worker agree on at start: the settings a launcher passes to the
 * worker (as environment variables for a new JVM), the channel of the start exchange, and how
 * the target is encoded.
 */
public final class Bootstrap {

    static final String SOCKET = "COPROC_SOCKET";
    static final String SECRET = "COPROC_SECRET";
    static final String SERIALIZER = "COPROC_SERIALIZER";
    static final String MESSENGER = "COPROC_MESSENGER";
    static final String MAX_FRAME = "COPROC_MAX_FRAME_LENGTH";
    static final String HOST_PID = "COPROC_HOST_PID";
    /** Set by the {@code jvm} launcher: how many bytes of target the worker reads from its standard input. */
    static final String TARGET_LENGTH = "COPROC_TARGET_LENGTH";
    /**
     * Set by the {@code ssh} launcher: the worker is on another machine than its host. It
     * removes the socket's file once it has connected, and its receives block without polling.
     */
    static final String REMOTE = "COPROC_REMOTE";
    /**
     * The {@link #TARGET_LENGTH} of a spare JVM: its target comes when it is taken, as a 4-byte
     * length and the bytes (see {@link SpareWorker}).
     */
    static final String SPARE = "spare";

    /** Set instead of {@link #SOCKET} for a worker that connects back over TLS: the host's {@code host:port}. */
    static final String TLS_ADDRESS = "COPROC_TLS_ADDRESS";
    /**
     * The SHA-256 fingerprint of the host's certificate, in hex, for a worker that connects over
     * TLS: read from standard input after the secret, never from the environment.
     */
    static final String TLS_FINGERPRINT = "COPROC_TLS_FINGERPRINT";

    /**
     * Set for a spare JVM: the classes, comma-separated, that the targets of recent starts of
     * its configuration need ({@link TargetNames#classesOf}). It loads and links them while it
     * waits (running none of their code), so that a start with such a target does not wait for
     * their verification.
     */
    static final String SPARE_CLASSES = "COPROC_SPARE_CLASSES";

    /** Every setting's name: a worker JVM's environment gets these from its host, and no others of them. */
    static final List<String> NAMES = List.of(SOCKET, SECRET, SERIALIZER, MESSENGER, MAX_FRAME, HOST_PID,
            TARGET_LENGTH, REMOTE, TLS_ADDRESS, TLS_FINGERPRINT, SPARE_CLASSES);

    /**
     * Makes a new worker JVM's environment from its host's: without coproc's own settings of
     * the host (a host that is itself a worker, or a training run), with the spec's
     * environment, then the worker's settings.
     *
     * @param environment the environment a {@link ProcessBuilder} starts with; changed
     * @param spec the worker's launch spec
     * @param jvm its JVM part
     */
    static void prepareEnvironment(Map<String, String> environment, LaunchSpec spec, LaunchSpec.Jvm jvm) {
        environment.keySet().removeAll(NAMES);
        environment.remove(CdsTraining.TRAINING);
        environment.putAll(jvm.environment());
        environment.putAll(spec.settings());
    }

    /**
     * Takes the secret out of a worker JVM's environment and returns it as the worker reads it
     * from its standard input: a 4-byte length, then the bytes.
     *
     * @param environment the worker's environment, with the settings; changed
     * @return the length-prefixed secret
     */
    static byte[] takeSecret(Map<String, String> environment) {
        byte[] secret = Base64.getDecoder().decode(environment.remove(SECRET));
        return ByteBuffer.allocate(4 + secret.length).putInt(secret.length).put(secret).array();
    }

    /**
     * Takes the secret out of a worker JVM's environment and returns what goes on its standard
     * input instead: the secret ({@link #takeSecret}), then the target, whose length it puts
     * in the environment.
     *
     * @param environment the worker's environment, with the settings; changed
     * @param target the target's bytes
     * @return the bytes of its standard input
     */
    static byte[] standardInput(Map<String, String> environment, byte[] target) {
        byte[] secret = takeSecret(environment);
        environment.put(TARGET_LENGTH, Integer.toString(target.length));
        return ByteBuffer.allocate(secret.length + target.length).put(secret).put(target).array();
    }

    /**
     * As {@link #standardInput(Map, byte[])}, for a worker that connects over TLS, whose host's
     * certificate may not be made yet: takes the secret out of the environment now, and returns
     * what makes the standard input once the certificate's fingerprint is known; it goes after
     * the secret (its length, 4 bytes, then its bytes).
     *
     * @param environment the worker's environment, with the settings; changed
     * @param target the target's bytes
     * @return makes the bytes of its standard input from the SHA-256 of the host's certificate
     */
    static Function<byte[], byte[]> standardInputWithFingerprint(Map<String, String> environment, byte[] target) {
        byte[] plain = standardInput(environment, target);
        int secretEnd = 4 + ByteBuffer.wrap(plain).getInt();
        return fingerprint -> ByteBuffer.allocate(plain.length + 4 + fingerprint.length).put(plain, 0, secretEnd)
                .putInt(fingerprint.length).put(fingerprint).put(plain, secretEnd, plain.length - secretEnd).array();
    }

    /** The channel of the start exchange: "ready" or an error comes from the worker, "go" goes back. */
    public static final String CHANNEL = "coproc.worker.bootstrap";

    /** The worker's reply on {@link #CHANNEL} once its target is loaded. */
    public static final String READY = "ready";

    /**
     * The host's answer to {@link #READY}: the worker runs its target only then, so nothing the
     * target sends can reach the host before the host has seen the worker ready.
     */
    public static final String GO = "go";

    /** The main module of worker JVMs. */
    public static final String MAIN_MODULE = "coproc.worker";

    /** The main class of worker JVMs. */
    public static final String MAIN_CLASS = "coproc.worker.internal.WorkerMain";

    /**
     * The first byte of a target in the compact encoding of its {@link DirectLambda} form; JDK
     * serialization's streams begin with another ({@code 0xAC}).
     */
    static final byte DIRECT = 1;

    private Bootstrap() {
    }

    /**
     * Makes the settings of one worker.
     *
     * @param where where to connect: {@link #SOCKET}, or {@link #TLS_ADDRESS}
     * @param secret the one-time secret
     * @param kind the messenger kind
     * @param options the messenger options (serializer, frame limit)
     * @return the settings
     */
    public static Map<String, String> settings(Map<String, String> where, byte[] secret, MessengerKind kind,
            MessengerOptions options) {
        Map<String, String> settings = new java.util.HashMap<>(where);
        settings.putAll(Map.of(SECRET, Base64.getEncoder().encodeToString(secret),
                SERIALIZER, options.serializer(), MESSENGER, kind.name(),
                MAX_FRAME, Integer.toString(options.maxFrameLength()),
                HOST_PID, Long.toString(ProcessHandle.current().pid())));
        return Map.copyOf(settings);
    }

    /**
     * Encodes a target and its start argument with JDK serialization; a lambda in its
     * {@link DirectLambda} form where it has one, and one that captures nothing, started
     * without an argument, in that form's compact encoding, after {@link #DIRECT}. What a
     * lambda that captures nothing encodes to with no argument is kept after its first time;
     * every call returns an array of its own.
     *
     * @param target the target
     * @param argument the start argument, possibly null
     * @return the bytes
     * @throws IllegalArgumentException if either cannot be serialized, saying why and what to do
     */
    public static byte[] encode(WorkerTarget<?> target, Object argument) {
        Class<?> type = target.getClass();
        if (argument != null || !type.isHidden() || type.getDeclaredFields().length > 0) {
            return serialize(target, argument);
        }
        // A lambda that captures nothing, started without an argument, encodes the same every time.
        AtomicReference<byte[]> encoded = UNCAPTURING.get(type);
        byte[] bytes = encoded.get();
        if (bytes == null) {
            bytes = compact(target);
            encoded.set(bytes);
        }
        return bytes.clone();
    }

    /** A lambda class without fields (it captures nothing), without an argument: compact if it has a direct form. */
    private static byte[] compact(WorkerTarget<?> target) {
        SerializedLambda form = TargetNames.serializedForm(target);
        DirectLambda direct = form == null ? null : DirectLambda.of(form, target.getClass().getClassLoader());
        if (direct == null) {
            return serialize(target, null);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(DIRECT);
            direct.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a ByteArrayOutputStream
        }
        return bytes.toByteArray();
    }

    /**
     * The encoded form of each lambda class that captures nothing, with no argument, once it
     * has been encoded: code that runs once per start runs interpreted, and JDK serialization
     * then takes some 0.35 ms of a warm start's 4 ms.
     */
    private static final ClassValue<AtomicReference<byte[]>> UNCAPTURING = new ClassValue<>() {
        @Override
        protected AtomicReference<byte[]> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    private static byte[] serialize(WorkerTarget<?> target, Object argument) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new TargetOutputStream(bytes, target.getClass().getClassLoader())) {
            out.writeObject(target);
            out.writeObject(argument);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("The worker target " + target.getClass().getName() + " or its start"
                    + " argument cannot be serialized: " + e.getMessage() + " is not Serializable. Targets travel to"
                    + " the worker with JDK serialization: use a static method reference, a lambda that captures only"
                    + " serializable values, or a class whose fields are all Serializable (mark others transient)",
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException("The worker target " + target.getClass().getName() + " or its start"
                    + " argument cannot be serialized: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes a target, the first object, as its {@link DirectLambda} where it has one; the
     * argument and anything else as JDK serialization does.
     */
    private static final class TargetOutputStream extends ObjectOutputStream {

        private final ClassLoader loader;
        private boolean first = true;

        TargetOutputStream(OutputStream out, ClassLoader loader) throws IOException {
            super(out);
            this.loader = loader;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object object) {
            if (!first) {
                return object;
            }
            first = false; // a lambda the target holds, or the argument, travels as it is
            DirectLambda direct = object instanceof SerializedLambda form ? DirectLambda.of(form, loader) : null;
            return direct == null ? object : direct;
        }
    }

    /** Decodes what {@link #encode} made: the target, then the argument. */
    static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        if (bytes.length > 0 && bytes[0] == DIRECT) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
                return new Object[] {DirectLambda.read(in), null};
            }
        }
        try (ObjectInputStream in = new ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            return new Object[] {in.readObject(), in.readObject()};
        }
    }
}
