package coproc.messenger;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * In mutation runs only: fails a test, or a lifecycle method, that has not finished within
 * {@code coproc.test.hangBoundSeconds} seconds, with an assertion that names the hang.
 *
 * <p>A mutant that leaves a lock held or a pipe open makes a later receive wait for ever. The
 * tests' own {@code @Timeout(30)} and {@code @Timeout(60)} are longer than PIT's timeout, so
 * without this bound such a mutant shows as "timed out" rather than as a failed test. The
 * {@code mutation} profile turns it on (JUnit's extension auto-detection, which finds this class
 * through {@code META-INF/services}); the plain build never loads it. The body runs on another
 * thread, which is left behind if it hangs.
 */
public final class HangBound implements InvocationInterceptor {

    /** The system property holding the bound in seconds; no property, no bound. */
    public static final String PROPERTY = "coproc.test.hangBoundSeconds";

    private final Duration bound;

    /** Reads the bound from {@value #PROPERTY}. */
    public HangBound() {
        String seconds = System.getProperty(PROPERTY);
        this.bound = seconds == null ? null : Duration.ofSeconds(Long.parseLong(seconds));
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        bounded(invocation, call);
    }

    private void bounded(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call) throws Throwable {
        if (bound == null) {
            invocation.proceed();
            return;
        }
        assertTimeoutPreemptively(bound, invocation::proceed, () -> call.getExecutable().getName()
                + " hung: it did not finish within " + bound.toSeconds() + " s (" + PROPERTY + ")");
    }
}
