package coproc.messenger.internal;

/**
 * The frame layout, version 1. Every frame is a 4-byte big-endian body length, then the
 * body. The body's first byte is its {@link FrameKind}:
 * <ul>
 *   <li>{@link FrameKind#HELLO}: magic, protocol version, serializer name, secret (see
 *       {@link Handshake}); the first frame each way, and only then;</li>
 *   <li>{@link FrameKind#DATA}: a flags byte ({@link #REQUEST}, {@link #REPLY},
 *       {@link #DEFAULT_CHANNEL}, {@link #PRIORITIZED}); if {@link #PRIORITIZED} is set, the
 *       priority as an 8-byte double; unless {@link #DEFAULT_CHANNEL} is set, a 4-byte length
 *       and the serialized channel; then the serialized payload to the end (see
 *       {@link DataFrameCodec});</li>
 *   <li>{@link FrameKind#ERROR}: an exception (see {@link ErrorCodec});</li>
 *   <li>{@link FrameKind#CLOSE}: nothing more;</li>
 *   <li>{@link FrameKind#REJECTED}: the UTF-8 description of a data frame that the side
 *       sending this could not decode, and dropped;</li>
 *   <li>{@link FrameKind#OUTPUT}: {@link #STDOUT} or {@link #STDERR}, then bytes that a worker
 *       process wrote to that stream (see {@link OutputSink}).</li>
 * </ul>
 */
final class Wire {

    static final int PROTOCOL_VERSION = 1;
    static final int MAGIC = 0x43505243; // "CPRC"

    static final int REQUEST = 1;
    static final int REPLY = 2;
    static final int DEFAULT_CHANNEL = 4;
    static final int PRIORITIZED = 8;

    /** The stream byte of an {@link FrameKind#OUTPUT} frame of standard output. */
    static final int STDOUT = 1;
    /** The stream byte of an {@link FrameKind#OUTPUT} frame of standard error. */
    static final int STDERR = 2;

    private Wire() {
    }
}
