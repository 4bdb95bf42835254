package coproc.messenger.internal;

import coproc.api.FrameTooLongException;
import coproc.api.PipeClosedException;
import coproc.api.PipeException;
import coproc.api.ProtocolMismatchException;
import coproc.api.TruncatedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The first frame each way: {@code HELLO, magic, version, serializer name, secret}. Each side
 * checks the other's: a peer that is not a coproc messenger, speaks another protocol version,
 * uses another serializer, or does not present the expected secret is refused before anything
 * is deserialized.
 */
final class Handshake {

    /** Hello frames are tiny; a larger first frame means the peer is not a coproc messenger. */
    static final int MAX_HELLO_LENGTH = 4096;

    private Handshake() {
    }

    static void write(WritableByteChannel channel, String serializer, byte[] secret) throws IOException {
        byte[] name = serializer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer hello = ByteBuffer.allocate(4 + 1 + 4 + 4 + 2 + name.length + 2 + secret.length);
        hello.putInt(hello.capacity() - 4).put(FrameKind.HELLO.code()).putInt(Wire.MAGIC).putInt(Wire.PROTOCOL_VERSION);
        hello.putShort((short) name.length).put(name);
        hello.putShort((short) secret.length).put(secret);
        hello.flip();
        while (hello.hasRemaining()) {
            channel.write(hello);
        }
    }

    /**
     * Reads and checks the peer's hello.
     *
     * @throws ProtocolMismatchException if the peer is not a coproc messenger or disagrees
     * @throws PipeException if the stream ends or is corrupt
     */
    static void read(ReadableByteChannel channel, FrameReader reader, String serializer, byte[] secret)
            throws IOException {
        boolean present;
        try {
            present = nextFrame(channel, reader);
        } catch (FrameTooLongException e) {
            throw new ProtocolMismatchException("The peer is not a coproc messenger: its first frame announces "
                    + e.length() + " bytes where a coproc hello has at most " + MAX_HELLO_LENGTH, e);
        }
        if (!present) {
            throw new PipeClosedException("The peer closed the pipe before its handshake");
        }
        ByteBuffer hello = ByteBuffer.wrap(reader.array(), reader.offset(), reader.length());
        if (hello.remaining() < 9 || hello.get() != FrameKind.HELLO.code() || hello.getInt() != Wire.MAGIC) {
            throw new ProtocolMismatchException("The peer is not a coproc messenger: its first frame is not a"
                    + " coproc hello");
        }
        int version = hello.getInt();
        if (version != Wire.PROTOCOL_VERSION) {
            throw new ProtocolMismatchException("Protocol version mismatch: this side speaks version "
                    + Wire.PROTOCOL_VERSION + ", the peer speaks version " + version
                    + ". Run the same coproc version on both sides");
        }
        try {
            String peerSerializer = new String(bytes(hello), StandardCharsets.UTF_8);
            if (!peerSerializer.equals(serializer)) {
                throw new ProtocolMismatchException("Serializer mismatch: this side uses '" + serializer
                        + "', the peer uses '" + peerSerializer + "'. Choose the same serializer on both sides");
            }
            if (!MessageDigest.isEqual(bytes(hello), secret)) {
                throw new ProtocolMismatchException("The peer did not present the expected secret; connection refused");
            }
        } catch (RuntimeException e) {
            if (e instanceof ProtocolMismatchException) {
                throw e;
            }
            throw new ProtocolMismatchException("The peer's hello is malformed: " + e, e);
        }
    }

    /**
     * Reads a blocking channel until a frame is complete.
     *
     * @return {@code true} with the frame in the reader, {@code false} at a clean end of stream
     * @throws coproc.api.TruncatedFrameException if the stream ends inside a frame
     */
    private static boolean nextFrame(ReadableByteChannel channel, FrameReader reader) throws IOException {
        while (!reader.next()) {
            if (reader.readFrom(channel) < 0) {
                TruncatedFrameException truncated = reader.endOfStream();
                if (truncated != null) {
                    throw truncated;
                }
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(ByteBuffer hello) {
        byte[] value = new byte[hello.getShort() & 0xffff];
        hello.get(value);
        return value;
    }
}
