package coproc.worker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Lambda targets that travel in their direct form: each kind of lambda and method reference
 * a target can be arrives with its captured values and runs its method with the messenger and
 * the argument, converted as the lambda's own class converts them; what the direct form does
 * not cover travels as JDK serialization writes it, and a worker that cannot reach the method
 * falls back to that.
 */
class DirectLambdaTest {

    /** What the targets saw, in order; the tests run on one thread. */
    private static final List<Object> SEEN = new ArrayList<>();

    static void record(Messenger messenger, Object argument) {
        SEEN.add(argument);
    }

    static void count(Messenger messenger, int count) {
        SEEN.add(count + 1);
    }

    static void joined(Messenger messenger, String... parts) {
        SEEN.add(String.join("+", parts));
    }

    static void fail(Messenger messenger, Object argument) throws IOException {
        throw new IOException("failed on " + argument);
    }

    /** A serializable object whose instance methods and lambdas make targets. */
    static final class Holder implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String name;

        Holder(String name) {
            this.name = name;
        }

        void greet(Messenger messenger, Object argument) {
            SEEN.add(name + " greets " + argument);
        }

        WorkerTarget<Object> lambda() {
            return (messenger, argument) -> SEEN.add(name + " runs " + argument);
        }
    }

    /** An interface whose method a bound reference calls. */
    interface Greeter extends Serializable {
        void greetOn(Messenger messenger, Object argument);
    }

    /** A class whose constructor a reference calls. */
    static final class Made {
        Made(Messenger messenger, Object argument) {
            SEEN.add("made with " + argument);
        }
    }

    /** Set once {@link Lazy} is initialized. */
    private static final AtomicBoolean LAZY_INITIALIZED = new AtomicBoolean();

    /** A class whose method a reference names, initialized by nothing else. */
    static final class Lazy {

        static {
            LAZY_INITIALIZED.set(true);
        }

        private Lazy() {
        }

        static void run(Messenger messenger, Object argument) {
            SEEN.add("lazy " + argument);
        }
    }

    /** A target interface of the user's own. */
    interface OwnTarget extends WorkerTarget<Object> {
    }

    /** Encodes a target as a start does and decodes it as its worker does. */
    private static WorkerTarget<Object> travelled(WorkerTarget<?> target) throws Exception {
        @SuppressWarnings("unchecked")
        WorkerTarget<Object> decoded = (WorkerTarget<Object>) Bootstrap.decode(Bootstrap.encode(target, null))[0];
        return decoded;
    }

    /** Runs a decoded target and returns what it saw. */
    private static List<Object> run(WorkerTarget<Object> target, Object argument) throws Exception {
        SEEN.clear();
        target.run(null, argument);
        return List.copyOf(SEEN);
    }

    @Test
    void shouldRunAStaticMethodReferenceThroughAMethodHandle() throws Exception {
        WorkerTarget<Object> target = travelled((WorkerTarget<Object>) DirectLambdaTest::record);

        assertInstanceOf(DirectLambda.Bound.class, target);
        assertEquals(List.of("item"), run(target, "item"));
    }

    @Test
    void shouldRunAReferenceStartedWithAnArgumentThroughAMethodHandle() throws Exception {
        Object[] decoded = Bootstrap.decode(Bootstrap.encode((WorkerTarget<Object>) DirectLambdaTest::record, "argument"));

        assertInstanceOf(DirectLambda.Bound.class, decoded[0]);
        assertEquals("argument", decoded[1]);
        @SuppressWarnings("unchecked")
        WorkerTarget<Object> target = (WorkerTarget<Object>) decoded[0];
        assertEquals(List.of("argument"), run(target, decoded[1]));
    }

    @Test
    void shouldBindTheValuesALambdaCaptures() throws Exception {
        String prefix = "value";
        int times = 3;
        long big = 1L << 40;
        WorkerTarget<Object> lambda = (messenger, argument) -> SEEN.add(prefix + times + big + argument);

        WorkerTarget<Object> target = travelled(lambda);

        assertInstanceOf(DirectLambda.Bound.class, target);
        assertEquals(List.of("value3" + (1L << 40) + "!"), run(target, "!"));
    }

    @Test
    void shouldCallInstanceMethodsOfTheCapturedObject() throws Exception {
        Holder holder = new Holder("Ada");
        Greeter greeter = (messenger, argument) -> SEEN.add("greeter got " + argument);

        assertEquals(List.of("Ada runs 1"), run(travelled(holder.lambda()), 1));
        assertEquals(List.of("Ada greets 2"), run(travelled((WorkerTarget<Object>) holder::greet), 2));
        assertEquals(List.of("greeter got 3"), run(travelled((WorkerTarget<Object>) greeter::greetOn), 3));
        assertInstanceOf(DirectLambda.Bound.class, travelled((WorkerTarget<Object>) holder::greet));
    }

    @Test
    void shouldCallAConstructorReference() throws Exception {
        WorkerTarget<Object> target = travelled((WorkerTarget<Object>) Made::new);

        assertInstanceOf(DirectLambda.Bound.class, target);
        assertEquals(List.of("made with x"), run(target, "x"));
    }

    @Test
    void shouldConvertTheArgumentAsTheLambdaWould() throws Exception {
        WorkerTarget<Integer> reference = DirectLambdaTest::count;
        WorkerTarget<Object> target = travelled(reference);
        @SuppressWarnings("unchecked")
        WorkerTarget<Object> lambda = (WorkerTarget<Object>) (WorkerTarget<?>) reference;

        assertEquals(List.of(42), run(target, 41), "unboxed");
        for (Object wrong : new Object[] {"not a number", (short) 41}) {
            // cast to Integer first, as the lambda's own class casts it: a Short is no Integer
            assertThrows(ClassCastException.class, () -> run(lambda, wrong), "the premise");
            assertThrows(ClassCastException.class, () -> run(target, wrong));
        }
        assertThrows(NullPointerException.class, () -> run(target, null));
    }

    @Test
    void shouldHandAVarargsMethodItsArrayAsItIs() throws Exception {
        WorkerTarget<Object> target = travelled((WorkerTarget<String[]>) DirectLambdaTest::joined);

        assertInstanceOf(DirectLambda.Bound.class, target);
        assertEquals(List.of("a+b"), run(target, new String[] {"a", "b"}));
    }

    @Test
    void shouldEncodeOnlyALambdaThatCapturesNothingStartedWithoutAnArgumentInTheCompactForm() {
        String captured = "x";
        WorkerTarget<Object> capturing = (messenger, argument) -> SEEN.add(captured);

        assertEquals(Bootstrap.DIRECT, Bootstrap.encode((WorkerTarget<Object>) DirectLambdaTest::record, null)[0]);
        assertNotEquals(Bootstrap.DIRECT, Bootstrap.encode((WorkerTarget<Object>) DirectLambdaTest::record, "a")[0]);
        assertNotEquals(Bootstrap.DIRECT, Bootstrap.encode(capturing, null)[0]);
    }

    @Test
    void shouldInitializeTheClassOfTheMethodAsItDecodesTheTarget() throws Exception {
        byte[] encoded = Bootstrap.encode((WorkerTarget<Object>) Lazy::run, null);
        assertFalse(LAZY_INITIALIZED.get(), "the premise: making and encoding the reference initialize nothing");

        WorkerTarget<?> target = (WorkerTarget<?>) Bootstrap.decode(encoded)[0];

        assertTrue(LAZY_INITIALIZED.get());
        assertInstanceOf(DirectLambda.Bound.class, target);
    }

    @Test
    void shouldNameAClassTheWorkerDoesNotHave() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(Bootstrap.DIRECT);
            for (String name : List.of("com.example.Missing", "com.example.Missing")) {
                out.writeUTF(name);
            }
            out.writeByte(MethodHandleInfo.REF_invokeStatic);
            for (String text : List.of("run", "(Lcoproc/api/Messenger;Ljava/lang/Object;)V",
                    "(Lcoproc/api/Messenger;Ljava/lang/Object;)V")) {
                out.writeUTF(text);
            }
        }

        InvalidClassException missing = assertThrows(InvalidClassException.class,
                () -> Bootstrap.decode(bytes.toByteArray()));
        assertTrue(missing.getMessage().contains("com.example.Missing"), missing::getMessage);
    }

    @Test
    void shouldThrowWhatTheMethodThrowsUnchanged() throws Exception {
        WorkerTarget<Object> target = travelled((WorkerTarget<Object>) DirectLambdaTest::fail);

        IOException thrown = assertThrows(IOException.class, () -> target.run(null, "purpose"));
        assertEquals("failed on purpose", thrown.getMessage());
    }

    @Test
    void shouldSendWhatItDoesNotCoverAsSerialized() throws Exception {
        WorkerTarget<String> jdkMethod = Objects::requireNonNull; // java.util is not open to coproc
        OwnTarget own = (messenger, argument) -> SEEN.add("own " + argument);

        WorkerTarget<Object> fromJdk = travelled(jdkMethod);
        WorkerTarget<Object> fromOwn = travelled(own);

        assertFalse(fromJdk instanceof DirectLambda.Bound);
        assertEquals("needed", assertThrows(NullPointerException.class, () -> fromJdk.run(null, "needed")).getMessage());
        assertInstanceOf(OwnTarget.class, fromOwn);
        assertEquals(List.of("own 5"), run(fromOwn, 5));
    }

    @Test
    void shouldMakeNoDirectFormOfALambdaItCannotReach() {
        SerializedLambda form = TargetNames.serializedForm((WorkerTarget<String>) Objects::requireNonNull);

        assertNotNull(form);
        assertNull(DirectLambda.of(form, DirectLambdaTest.class.getClassLoader()));
    }

    @Test
    void shouldFallBackToTheSerializedLambdaWhereTheWorkerCannotReachTheMethod() throws Exception {
        // As if the host could reach java.util.Objects and its worker, with other modules, could not.
        WorkerTarget<String> jdkMethod = Objects::requireNonNull;
        DirectLambda direct = DirectLambda.unchecked(TargetNames.serializedForm(jdkMethod));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(direct);
        }

        Object decoded;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            decoded = in.readObject();
        }

        @SuppressWarnings("unchecked")
        WorkerTarget<Object> target = (WorkerTarget<Object>) decoded;
        assertFalse(target instanceof DirectLambda.Bound);
        assertEquals("needed", assertThrows(NullPointerException.class, () -> target.run(null, "needed")).getMessage());
    }

    @Test
    void shouldLeaveALambdaTheTargetHoldsAsItIs() throws Exception {
        Greeter inner = (messenger, argument) -> SEEN.add("inner " + argument);
        WorkerTarget<Object> outer = (messenger, argument) -> inner.greetOn(messenger, argument);

        WorkerTarget<Object> target = travelled(outer);

        assertEquals(List.of("inner 7"), run(target, 7));
        WorkerTarget<Object> argument = DirectLambdaTest::record;
        Object[] decoded = Bootstrap.decode(Bootstrap.encode(outer, argument));
        assertSame(DirectLambda.Bound.class, decoded[0].getClass());
        assertInstanceOf(WorkerTarget.class, decoded[1]);
        assertFalse(decoded[1] instanceof DirectLambda.Bound, "an argument that is a target's lambda stays a lambda");
    }
}
