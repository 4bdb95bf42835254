package coproc.messenger.internal;

import coproc.api.CorruptFrameException;
import coproc.api.MessageNotRecognizedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns one incoming frame's body into the {@link InboxItem} a receive acts on: a data
 * message, a close request, a remote error, a rejection of a message this side sent; a data
 * message whose value does not decode, to drop and report to the other side; or, for a frame
 * that cannot be read at all, a failure that drops it and leaves the pipe usable. Output
 * frames go to the {@link OutputSink} at once, not to the inbox. Used by whoever holds the
 * pipe's read lock.
 */
final class FrameDecoder {

    private final DataFrameCodec codec;
    private volatile OutputSink output = OutputSink.HOST_STREAMS;

    FrameDecoder(DataFrameCodec codec) {
        this.codec = codec;
    }

    /** Sets where output frames go from now on. */
    void output(OutputSink sink) {
        this.output = sink;
    }

    /** Whether output frames go to a sink that was set, rather than to the default. */
    boolean takesOutput() {
        return output != OutputSink.HOST_STREAMS;
    }

    /** Tells the output sink that no more output will come. */
    void endOutput() {
        try {
            output.end();
        } catch (RuntimeException e) {
            // as a failed write: the sink's loss
        }
    }

    /**
     * Decodes a frame body; never throws for bad bytes, only once its pipe is closed.
     *
     * @param bytes the array holding the body
     * @param offset where it starts
     * @param length its length
     * @return the item, or {@code null} for an output frame, which went to the sink
     * @throws coproc.api.PipeClosedException if the pipe was closed and its serializer given back
     */
    InboxItem decode(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return new InboxItem.Failure(new CorruptFrameException("Corrupt frame: empty body; dropped it"));
        }
        FrameKind kind = FrameKind.of(bytes[offset]);
        try {
            if (kind == FrameKind.DATA) {
                return new InboxItem.Data(codec.decode(bytes, offset + 1, length - 1));
            } else if (kind == FrameKind.REJECTED) {
                return new InboxItem.Failure(new PeerRejection(new String(bytes, offset + 1, length - 1,
                        StandardCharsets.UTF_8)));
            } else if (kind == FrameKind.ERROR) {
                return new InboxItem.RemoteError(ErrorCodec.decode(bytes, offset + 1, length - 1));
            } else if (kind == FrameKind.CLOSE) {
                return InboxItem.CloseRequest.INSTANCE;
            } else if (kind == FrameKind.OUTPUT && length >= 2) {
                writeOutput(bytes[offset + 1] == Wire.STDERR, bytes, offset + 2, length - 2);
                return null;
            }
            return new InboxItem.Failure(new MessageNotRecognizedException("Unrecognized frame kind " + bytes[offset]
                    + " (" + length + " bytes); dropped it. Does the peer run a newer coproc?"));
        } catch (DataFrameCodec.UndecodableValue e) {
            return new InboxItem.Undecodable(e.getMessage());
        } catch (KryoSerializer.GivenBack closed) {
            throw closed; // a receive that raced with close(): the pipe's reading ends, nothing is dropped and reported
        } catch (IOException | RuntimeException | StackOverflowError | LinkageError e) {
            return new InboxItem.Failure(new CorruptFrameException("Corrupt frame: a " + length + "-byte "
                    + (kind == FrameKind.ERROR ? "error" : "data") + " frame did not decode with the '"
                    + codec.serializerName() + "' serializer (" + e + "); dropped it, the pipe stays usable", e));
        }
    }

    private void writeOutput(boolean standardError, byte[] bytes, int offset, int length) {
        try {
            output.write(standardError, bytes, offset, length);
        } catch (RuntimeException e) {
            // a sink that fails loses the text, not the pipe
        }
    }
}
