package coproc.messenger;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A receive that blocks does not spin: over about a second of waiting, the waiting thread and
 * the messenger's reader threads use next to no CPU time. The bound is generous (200 ms of CPU
 * per second waited); a spinning wait would use the whole second.
 *
 * <p>CPU time comes from {@code java.lang.management.ThreadMXBean}, reached by reflection:
 * the tests are compiled into module {@code coproc.messenger}, which does not read
 * {@code java.management}; Surefire's {@code argLine} adds the module at run time.
 */
@Timeout(30)
class BlockingReceiveCpuTest {

    private static final long BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final ThreadCpu THREADS = new ThreadCpu();

    @BeforeAll
    static void measurable() {
        assumeTrue(THREADS.isThreadCpuTimeSupported(), "this JVM cannot measure thread CPU time");
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldUseNextToNoCpuWhileATimedReceiveWaits(MessengerKind kind) {
        try (var pair = kind.newPair(MessengerOptions.defaults())) {
            pair.worker().sendNoRequest("warm up the path");
            assertEquals("warm up the path", pair.host().receiveBlocking());
            List<Thread> readers = readerThreads();
            long readersBefore = cpuTime(readers);

            long before = THREADS.getCurrentThreadCpuTime();
            assertThrows(TimeoutException.class, () -> pair.host().receiveBlocking(Duration.ofSeconds(1)));
            long used = THREADS.getCurrentThreadCpuTime() - before;

            assertThat("CPU time of the thread waiting 1 s", used, lessThan(BOUND_NANOS));
            assertThat("CPU time of the reader threads meanwhile", cpuTime(readers) - readersBefore,
                    lessThan(BOUND_NANOS));
        }
    }

    @ParameterizedTest
    @EnumSource(MessengerKind.class)
    void shouldUseNextToNoCpuWhileAnUntimedReceiveWaitsAndThenWakeUp(MessengerKind kind) throws Exception {
        try (var pair = kind.newPair(MessengerOptions.defaults())) {
            CompletableFuture<String> receiving = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    receiving.complete(pair.host().receiveBlocking());
                } catch (Throwable t) {
                    receiving.completeExceptionally(t);
                }
            }, "blocked-receiver");
            List<Thread> readers = readerThreads();
            long readersBefore = cpuTime(readers);
            waiter.start();

            // About a second of blocking, during which the receive does not return.
            await().pollDelay(Duration.ofMillis(100)).during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> !receiving.isDone());
            assertTrue(isBlocked(waiter), "the receive is parked or waits in a selector: "
                    + Arrays.toString(waiter.getStackTrace()));
            long used = THREADS.getThreadCpuTime(waiter.getId()); // everything since the thread started

            assertThat("CPU time of the thread blocked in receiveBlocking()", used, lessThan(BOUND_NANOS));
            assertThat("CPU time of the reader threads meanwhile", cpuTime(readers) - readersBefore,
                    lessThan(BOUND_NANOS));

            pair.worker().sendNoRequest("wake up");
            assertEquals("wake up", receiving.get(10, TimeUnit.SECONDS));
        }
    }

    /** Whether a thread is parked, or waits in a selector (RUNNABLE in native code, but idle). */
    private static boolean isBlocked(Thread thread) {
        if (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING) {
            return true;
        }
        return Arrays.stream(thread.getStackTrace()).limit(4)
                .anyMatch(frame -> frame.getClassName().endsWith("EPoll") && frame.getMethodName().equals("wait"));
    }

    /** The live reader threads of the messengers of this JVM (the test's pair and any not yet ended). */
    private static List<Thread> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("coproc-reader-") && t.isAlive())
                .toList();
    }

    private static long cpuTime(List<Thread> threads) {
        long total = 0;
        for (Thread t : threads) {
            long time = THREADS.getThreadCpuTime(t.getId());
            total += Math.max(0, time); // -1 once a thread has ended
        }
        return total;
    }

    /** The few {@code ThreadMXBean} methods this test uses, called by reflection. */
    private static final class ThreadCpu {

        private final Object bean;
        private final Method supported;
        private final Method threadCpuTime;
        private final Method currentThreadCpuTime;

        ThreadCpu() {
            try {
                Class<?> type = Class.forName("java.lang.management.ThreadMXBean");
                bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                        .invoke(null);
                supported = type.getMethod("isThreadCpuTimeSupported");
                threadCpuTime = type.getMethod("getThreadCpuTime", long.class);
                currentThreadCpuTime = type.getMethod("getCurrentThreadCpuTime");
                type.getMethod("setThreadCpuTimeEnabled", boolean.class).invoke(bean, true);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("java.management is needed: run with --add-modules java.management", e);
            }
        }

        boolean isThreadCpuTimeSupported() {
            return (Boolean) call(supported);
        }

        long getThreadCpuTime(long threadId) {
            return (Long) call(threadCpuTime, threadId);
        }

        long getCurrentThreadCpuTime() {
            return (Long) call(currentThreadCpuTime);
        }

        private Object call(Method method, Object... args) {
            try {
                return method.invoke(bean, args);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
