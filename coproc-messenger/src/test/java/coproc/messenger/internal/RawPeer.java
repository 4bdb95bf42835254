package coproc.messenger.internal;

import coproc.api.Message;
import coproc.api.spi.SerializerProvider;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A messenger on one end of a Unix domain socket and the other end driven by hand: the test
 * writes hellos and frames as bytes and reads what the messenger writes.
 */
final class RawPeer implements AutoCloseable {

    /** The end the test drives by hand. */
    final SocketChannel peer;
    /** The messenger on the other end. */
    final PipeMessenger messenger;
    /** Reads the messenger's frames from {@link #peer}; its hello has been read. */
    final FrameReader frames;

    private RawPeer(SocketChannel peer, PipeMessenger messenger, FrameReader frames) {
        this.peer = peer;
        this.messenger = messenger;
        this.frames = frames;
    }

    /**
     * Connects a priority messenger to a hand-driven peer that presents a correct hello, and
     * reads and checks the messenger's hello.
     */
    static RawPeer connect(MessengerOptions options) {
        SocketChannel[] ends = socketPair();
        try {
            CompletableFuture<PipeMessenger> opening = openAsync(ends[0], options);
            Handshake.write(ends[1], options.serializer(), options.secret());
            FrameReader frames = new FrameReader(Handshake.MAX_HELLO_LENGTH);
            Handshake.read(ends[1], frames, options.serializer(), options.secret());
            frames.setMaxFrameLength(MessengerOptions.MAX_MAX_FRAME_LENGTH);
            return new RawPeer(ends[1], opening.get(10, TimeUnit.SECONDS), frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the messenger did not open", e);
        }
    }

    /**
     * Connects a priority messenger without reading its hello, for streams the test writes
     * whole: the peer's hello is written before the messenger opens, so opening does not wait.
     */
    static RawPeer connectQuietly(MessengerOptions options) throws IOException {
        SocketChannel[] ends = socketPair();
        Handshake.write(ends[1], options.serializer(), options.secret());
        PipeMessenger messenger = PipeMessenger.open(MessengerKind.PRIORITY, ends[0], options);
        return new RawPeer(ends[1], messenger, null);
    }

    /** Opens a priority messenger on {@code end} on another thread, since the handshake blocks. */
    static CompletableFuture<PipeMessenger> openAsync(SocketChannel end, MessengerOptions options) {
        CompletableFuture<PipeMessenger> result = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                result.complete(PipeMessenger.open(MessengerKind.PRIORITY, end, options));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "test-messenger-open");
        opener.setDaemon(true);
        opener.start();
        return result;
    }

    /** Makes a connected Unix domain socket pair in a fresh private directory. */
    static SocketChannel[] socketPair() {
        return PipeConnector.socketPair();
    }

    /** Writes raw bytes to the messenger. */
    void write(byte[]... chunks) throws IOException {
        for (byte[] chunk : chunks) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            while (buffer.hasRemaining()) {
                peer.write(buffer);
            }
        }
    }

    /** Ends the stream towards the messenger (a clean close from its point of view). */
    void shutdownOutput() throws IOException {
        peer.shutdownOutput();
    }

    /** Reads the next frame the messenger wrote and decodes it as a data message. */
    Message<Object> readData(String serializer) throws IOException {
        byte[] body = readBody();
        return Frames.decodeData(serializer, body, 0, body.length);
    }

    /** Reads the next frame the messenger wrote; returns its body, kind byte first. */
    byte[] readBody() throws IOException {
        while (!frames.next()) {
            if (frames.readFrom(peer) < 0) {
                throw new AssertionError("the messenger closed the stream");
            }
        }
        return java.util.Arrays.copyOfRange(frames.array(), frames.offset(), frames.offset() + frames.length());
    }

    @Override
    public void close() throws IOException {
        messenger.close();
        peer.close();
    }

    /** Builds and parses frames as {@link Pipe} does, following the layout in {@link Wire}. */
    static final class Frames {

        private Frames() {
        }

        /** A frame with the given body and its true length. */
        static byte[] frame(byte[] body) {
            return withLength(body.length, body);
        }

        /** A frame body preceded by any length prefix. */
        static byte[] withLength(int length, byte[] body) {
            return ByteBuffer.allocate(4 + body.length).putInt(length).put(body).array();
        }

        static byte[] close() {
            return frame(new byte[] {FrameKind.CLOSE.code()});
        }

        /** A data frame on the default channel without priority. */
        static byte[] data(String serializer, Object payload) {
            return data(serializer, payload, null, 0, Double.NaN);
        }

        /** A data frame as {@link Pipe#sendData} writes it, with flags 0, {@link Wire#REQUEST} or {@link Wire#REPLY}. */
        static byte[] data(String serializer, Object payload, Object channel, int flags, double priority) {
            FrameBuffer out = new FrameBuffer(64);
            FrameWriter frames = new FrameWriter(MessengerOptions.MAX_MAX_FRAME_LENGTH);
            int start = frames.begin(out, FrameKind.DATA);
            MessageKind kind = flags == Wire.REQUEST ? MessageKind.REQUEST : flags == Wire.REPLY ? MessageKind.REPLY
                    : MessageKind.PLAIN;
            codec(serializer).encode(out, payload, channel, kind, priority);
            frames.end(out, start);
            return java.util.Arrays.copyOf(out.array(), out.size());
        }

        /** A codec with fresh serializers of the named kind. */
        private static DataFrameCodec codec(String serializer) {
            SerializerProvider provider = ProviderRegistry.SERIALIZERS.named(serializer);
            return new DataFrameCodec(serializer, provider.create(), provider.create());
        }

        /** A data frame on the default channel whose payload is the given bytes, verbatim. */
        static byte[] dataWithPayloadBytes(byte[] payload) {
            ByteBuffer body = ByteBuffer.allocate(2 + payload.length);
            body.put(FrameKind.DATA.code()).put((byte) Wire.DEFAULT_CHANNEL).put(payload);
            return frame(body.array());
        }

        /** An error frame as {@link Pipe#sendError} writes it. */
        static byte[] error(Throwable error) {
            FrameBuffer out = new FrameBuffer(256);
            FrameWriter frames = new FrameWriter(MessengerOptions.MAX_MAX_FRAME_LENGTH);
            try {
                int start = frames.begin(out, FrameKind.ERROR);
                ErrorCodec.encode(error, out);
                frames.end(out, start);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return java.util.Arrays.copyOf(out.array(), out.size());
        }

        /** Parses a data frame's body. */
        static Message<Object> decodeData(String serializer, byte[] bytes, int offset, int length) throws IOException {
            if (bytes[offset] != FrameKind.DATA.code()) {
                throw new AssertionError("not a data frame");
            }
            return codec(serializer).decode(bytes, offset + 1, length - 1);
        }
    }
}
