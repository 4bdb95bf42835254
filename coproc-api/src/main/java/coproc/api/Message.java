package coproc.api;

/**
 * One data message as a messenger received it: the payload and what travelled with it.
 *
 * @param <T> the payload type
 * @param payload the data sent, possibly {@code null}
 * @param channel the channel it was sent on; {@code null} is the default channel
 * @param request whether it was sent with {@code sendRequest}
 * @param reply whether it was sent with {@code sendReply}
 * @param priority its priority: {@link Prioritized#priority()} of the payload, or
 *     {@link Double#NEGATIVE_INFINITY} when the payload is not {@link Prioritized}
 */
public record Message<T>(T payload, Object channel, boolean request, boolean reply, double priority) {
}
