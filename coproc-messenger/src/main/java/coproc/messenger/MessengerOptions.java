package coproc.messenger;

import coproc.messenger.internal.ProviderRegistry;
import java.time.Duration;

/**
 * How a messenger's pipe is set up: the serializer, the frame limit, and, for transports,
 * the handshake's timeout and secret. Immutable; every {@code with...} method returns a copy.
 * Both sides of a pipe must use the same serializer and secret; each side applies its own
 * frame limit to what it receives and what it sends.
 */
public final class MessengerOptions {

    /** The default maximum frame length: 64 MiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024 * 1024;

    /** The largest maximum frame length a pipe accepts. */
    public static final int MAX_MAX_FRAME_LENGTH = Integer.MAX_VALUE - 64;

    private static final MessengerOptions DEFAULTS =
            new MessengerOptions("kryo", DEFAULT_MAX_FRAME_LENGTH, Duration.ofSeconds(10), new byte[0]);

    private final String serializer;
    private final int maxFrameLength;
    private final Duration handshakeTimeout;
    private final byte[] secret;
    private MessengerOptions(String serializer, int maxFrameLength, Duration handshakeTimeout, byte[] secret) {
        this.serializer = serializer;
        this.maxFrameLength = maxFrameLength;
        this.handshakeTimeout = handshakeTimeout;
        this.secret = secret;
    }

    /**
     * Returns the defaults: the {@code kryo} serializer, 64 MiB frames, a 10 second handshake
     * timeout, no secret.
     *
     * @return the default options
     */
    public static MessengerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy that uses the named serializer.
     *
     * @param name a serializer name, such as {@code kryo} or {@code java}
     * @return the new options
     * @throws IllegalArgumentException if no serializer has the name; the message lists those
     *     that exist and says how to add one
     * @throws IllegalStateException if more than one serializer has the name
     */
    public MessengerOptions withSerializer(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("serializer name must not be blank: '" + name + "'");
        }
        ProviderRegistry.SERIALIZERS.named(name);
        return new MessengerOptions(name, maxFrameLength, handshakeTimeout, secret);
    }

    /**
     * Returns a copy with another maximum frame length. A frame is one message: its channel
     * and payload, serialized, plus a few bytes.
     *
     * @param bytes the limit, from 1024 to {@link #MAX_MAX_FRAME_LENGTH}
     * @return the new options
     * @throws IllegalArgumentException if the limit is out of range
     */
    public MessengerOptions withMaxFrameLength(int bytes) {
        if (bytes < 1024 || bytes > MAX_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be between 1024 and " + MAX_MAX_FRAME_LENGTH
                    + ": " + bytes);
        }
        return new MessengerOptions(serializer, bytes, handshakeTimeout, secret);
    }

    /**
     * Returns a copy with another handshake timeout: how long opening a pipe waits for the
     * peer's handshake.
     *
     * @param timeout a positive duration
     * @return the new options
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public MessengerOptions withHandshakeTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
        }
        return new MessengerOptions(serializer, maxFrameLength, timeout, secret);
    }

    /**
     * Returns a copy with a shared secret, for transports that others could connect to. Each
     * side presents the secret in its handshake and refuses a peer that presents another,
     * before anything is deserialized.
     *
     * @param secret up to 1024 bytes; copied
     * @return the new options
     * @throws IllegalArgumentException if the secret is longer than 1024 bytes
     */
    public MessengerOptions withSecret(byte[] secret) {
        if (secret.length > 1024) {
            throw new IllegalArgumentException("secret must be at most 1024 bytes: " + secret.length);
        }
        return new MessengerOptions(serializer, maxFrameLength, handshakeTimeout, secret.clone());
    }

    /**
     * Returns the serializer name.
     *
     * @return the name
     */
    public String serializer() {
        return serializer;
    }

    /**
     * Returns the maximum frame length.
     *
     * @return the limit in bytes
     */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Returns the handshake timeout.
     *
     * @return the timeout
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Returns a copy of the secret.
     *
     * @return the secret, empty if none
     */
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "MessengerOptions[serializer=" + serializer + ", maxFrameLength=" + maxFrameLength
                + ", handshakeTimeout=" + handshakeTimeout + ", secret=" + (secret.length == 0 ? "none" : "set") + "]";
    }
}
