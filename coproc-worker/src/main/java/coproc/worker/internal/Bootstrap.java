package coproc.worker.internal;

import coproc.api.WorkerTarget;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host and the worker agree on at start: the settings a launcher passes to the
 * worker (as environment variables for a new JVM), the channel the target travels on, and
 * how the target is encoded.
 */
public final class Bootstrap {

    static final String SOCKET = "COPROC_SOCKET";
    static final String SECRET = "COPROC_SECRET";
    static final String SERIALIZER = "COPROC_SERIALIZER";
    static final String MESSENGER = "COPROC_MESSENGER";
    static final String MAX_FRAME = "COPROC_MAX_FRAME_LENGTH";
    static final String HOST_PID = "COPROC_HOST_PID";
    static final String TARGET = "COPROC_TARGET";

    /** Every setting's name: a worker JVM's environment gets these from its host, and no others of them. */
    static final List<String> NAMES = List.of(SOCKET, SECRET, SERIALIZER, MESSENGER, MAX_FRAME, HOST_PID, TARGET);

    /**
     * The largest encoded target that travels in the settings, so that a worker JVM can load
     * it while it connects. A larger one goes to the worker over the pipe, on {@link #CHANNEL}
     * (and the settings say so with an empty {@link #TARGET}).
     */
    static final int MAX_TARGET_IN_SETTINGS = 48 * 1024;

    /**
     * {@link #TARGET} in a worker JVM's environment, followed by the target's length in bytes,
     * when the target comes on its standard input instead, so that it does not stay in the
     * environment that the worker's own child processes inherit.
     */
    static final String ON_STANDARD_INPUT = "-";

    /**
     * The channel of the start handshake: the target goes out (unless the settings carry it),
     * "ready" or an error comes back.
     */
    public static final String CHANNEL = "coproc.worker.bootstrap";

    /** The worker's reply on {@link #CHANNEL} once its target is loaded. */
    public static final String READY = "ready";

    /**
     * The host's answer to {@link #READY}: the worker runs its target only then, so nothing the
     * target sends can reach the host before the host has seen the worker ready.
     */
    public static final String GO = "go";

    /** The main class of worker JVMs. */
    public static final String MAIN_CLASS = "coproc.worker.internal.WorkerMain";

    private Bootstrap() {
    }

    /**
     * Makes the settings of one worker.
     *
     * @param socket the path of the socket to connect to
     * @param secret the one-time secret
     * @param kind the messenger kind
     * @param options the messenger options (serializer, frame limit)
     * @param target the encoded target and argument, which the settings carry if it is small
     * @return the settings
     */
    public static Map<String, String> settings(String socket, byte[] secret, MessengerKind kind,
            MessengerOptions options, byte[] target) {
        Map<String, String> settings = new HashMap<>();
        settings.put(SOCKET, socket);
        settings.put(SECRET, Base64.getEncoder().encodeToString(secret));
        settings.put(SERIALIZER, options.serializer());
        settings.put(MESSENGER, kind.name());
        settings.put(MAX_FRAME, Integer.toString(options.maxFrameLength()));
        settings.put(HOST_PID, Long.toString(ProcessHandle.current().pid()));
        // Always set, if only to "", so that a worker's settings never take an inherited one.
        settings.put(TARGET, target.length <= MAX_TARGET_IN_SETTINGS ? Base64.getEncoder().encodeToString(target) : "");
        return settings;
    }

    /**
     * Whether settings carry the target; if not, the host sends it on {@link #CHANNEL}.
     *
     * @param settings settings made by {@link #settings}
     * @return whether the worker gets its target from them
     */
    public static boolean carriesTarget(Map<String, String> settings) {
        return !settings.getOrDefault(TARGET, "").isEmpty();
    }

    /**
     * The encoded target that settings carry: from them, or from this JVM's standard input
     * when they say {@link #ON_STANDARD_INPUT} and its length.
     */
    static byte[] target(Map<String, String> settings) throws IOException {
        String target = settings.get(TARGET);
        if (!target.startsWith(ON_STANDARD_INPUT)) {
            return Base64.getDecoder().decode(target);
        }
        int length = Integer.parseInt(target.substring(ON_STANDARD_INPUT.length()));
        byte[] bytes = System.in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("The target's bytes ended early on standard input: " + bytes.length + " of "
                    + length);
        }
        return bytes;
    }

    /**
     * Encodes a target and its start argument with JDK serialization.
     *
     * @param target the target
     * @param argument the start argument, possibly null
     * @return the bytes
     * @throws IllegalArgumentException if either cannot be serialized, saying why and what to do
     */
    public static byte[] encode(WorkerTarget<?> target, Object argument) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
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

    /** Decodes what {@link #encode} made: the target, then the argument. */
    static Object[] decode(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ContextObjectInputStream(bytes)) {
            return new Object[] {in.readObject(), in.readObject()};
        }
    }

    /** Resolves classes through the thread's context class loader when the default fails. */
    private static final class ContextObjectInputStream extends ObjectInputStream {

        ContextObjectInputStream(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return super.resolveClass(desc);
            } catch (ClassNotFoundException e) {
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context == null) {
                    throw e;
                }
                return Class.forName(desc.getName(), false, context);
            }
        }
    }
}
