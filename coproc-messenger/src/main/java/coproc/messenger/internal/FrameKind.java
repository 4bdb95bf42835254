package coproc.messenger.internal;

/**
 * The kind of a frame: the first byte of its body (see {@link Wire} for the layout of each).
 */
enum FrameKind {

    /** The first frame each way: magic, protocol version, serializer name, secret. */
    HELLO(0x48),
    /** A data message. */
    DATA(1),
    /** An exception sent with {@code sendError}. */
    ERROR(2),
    /** A close request. */
    CLOSE(3),
    /** The other side could not decode a data frame this side sent: a UTF-8 description. */
    REJECTED(4),
    /** Text a worker process wrote to its standard output or error: a stream byte, then the bytes. */
    OUTPUT(5);

    /** The kinds, for {@link #of}: {@code values()} makes a new array at each call. */
    private static final FrameKind[] KINDS = values();

    private final byte code;

    FrameKind(int code) {
        this.code = (byte) code;
    }

    /** Returns the byte that stands for this kind on the wire. */
    byte code() {
        return code;
    }

    /**
     * Returns the kind a body byte stands for.
     *
     * @param code the byte
     * @return the kind, or {@code null} if no kind has that byte
     */
    static FrameKind of(byte code) {
        for (FrameKind kind : KINDS) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
