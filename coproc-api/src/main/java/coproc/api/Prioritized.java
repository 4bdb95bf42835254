package coproc.api;

/**
 * A payload that carries its own priority.
 *
 * <p>A priority messenger orders the messages of one channel by ascending priority: a lower
 * value is received first, and messages of equal priority are received first in, first out.
 * A payload that does not implement this interface has priority
 * {@link Double#NEGATIVE_INFINITY}, so it goes before every prioritized payload, as in the
 * original library. A record declares the priority as a component:
 *
 * <pre>{@code
 * record WarningMessage(String message, double priority) implements Prioritized {}
 * }</pre>
 */
public interface Prioritized {

    /**
     * Returns this payload's priority; lower is received first.
     *
     * @return the priority; must not be {@link Double#NaN} (the send fails with an
     *     {@link IllegalArgumentException} if it is)
     */
    double priority();
}
