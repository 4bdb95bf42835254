package coproc.messenger.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coproc.api.PipeClosedException;
import coproc.api.ProtocolMismatchException;
import coproc.messenger.MessengerKind;
import coproc.messenger.MessengerOptions;
import coproc.messenger.PipeMessenger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hello each side sends first: a peer that is not a coproc messenger, speaks another
 * protocol version, uses another serializer or presents another secret is refused before
 * anything is deserialized, with an exception that names both sides' values.
 */
@Timeout(30)
class HandshakeTest {

    private static final byte[] SECRET = "one-time secret".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldConnectWhenBothSidesAgreeOnSerializerAndSecret() throws Exception {
        MessengerOptions options = MessengerOptions.defaults().withSecret(SECRET);
        try (RawPeer raw = RawPeer.connect(options)) {
            raw.write(RawPeer.Frames.data("kryo", "hello"));
            assertEquals("hello", raw.messenger.receiveBlocking(Duration.ofSeconds(10)));
        }
    }

    @Test
    void shouldWriteTheWholeHelloWithItsLengthEvenToAChannelThatTakesAFewBytesAtATime() throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        WritableByteChannel trickle = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer source) {
                int n = Math.min(3, source.remaining());
                for (int i = 0; i < n; i++) {
                    written.write(source.get());
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        Handshake.write(trickle, "kryo", SECRET);

        assertArrayEquals(hello(Wire.MAGIC, Wire.PROTOCOL_VERSION, "kryo", SECRET), written.toByteArray());
    }

    @Test
    void shouldRefuseAPeerThatSpeaksAnotherProtocolVersionNamingBoth() throws Exception {
        ProtocolMismatchException e = refusedBy(hello(Wire.MAGIC, 2, "kryo", new byte[0]),
                MessengerOptions.defaults());
        assertThat(e.getMessage(), allOf(containsString("Protocol version mismatch"),
                containsString("this side speaks version 1"), containsString("the peer speaks version 2")));
    }

    @Test
    void shouldRefuseAPeerThatIsNotACoprocMessengerByItsFirstFrame() throws Exception {
        // A small frame that is not a hello (wrong magic).
        ProtocolMismatchException e = refusedBy(hello(0x12345678, 1, "kryo", new byte[0]),
                MessengerOptions.defaults());
        assertThat(e.getMessage(), containsString("The peer is not a coproc messenger: its first frame is not a"
                + " coproc hello"));
    }

    @Test
    void shouldRefuseAPeerThatSpeaksAnotherProtocolAltogether() throws Exception {
        // "HTTP" read as a length prefix is 1213486160: far beyond a hello, refused unread.
        byte[] http = "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ProtocolMismatchException e = refusedBy(http, MessengerOptions.defaults());
        assertThat(e.getMessage(), allOf(containsString("The peer is not a coproc messenger"),
                containsString("announces 1213486160 bytes where a coproc hello has at most 4096")));
    }

    @Test
    void shouldRefuseAPeerThatUsesAnotherSerializerNamingBoth() throws Exception {
        ProtocolMismatchException e = refusedBy(hello(Wire.MAGIC, 1, "java", new byte[0]),
                MessengerOptions.defaults());
        assertThat(e.getMessage(), allOf(containsString("Serializer mismatch"),
                containsString("this side uses 'kryo'"), containsString("the peer uses 'java'")));
    }

    @Test
    void shouldRefuseAPeerThatPresentsAWrongSecret() throws Exception {
        byte[] wrong = "another secret".getBytes(StandardCharsets.UTF_8);
        ProtocolMismatchException e = refusedBy(hello(Wire.MAGIC, 1, "kryo", wrong),
                MessengerOptions.defaults().withSecret(SECRET));
        assertThat(e.getMessage(), containsString("did not present the expected secret; connection refused"));
    }

    @Test
    void shouldRefuseAPeerThatPresentsNoSecretWhenOneIsExpected() throws Exception {
        ProtocolMismatchException e = refusedBy(hello(Wire.MAGIC, 1, "kryo", new byte[0]),
                MessengerOptions.defaults().withSecret(SECRET));
        assertThat(e.getMessage(), containsString("did not present the expected secret"));
    }

    @Test
    void shouldRefuseAMalformedHello() throws Exception {
        // A hello whose serializer name runs past the end of the frame.
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + 4 + 2);
        body.put(FrameKind.HELLO.code()).putInt(Wire.MAGIC).putInt(1).putShort((short) 500);
        ProtocolMismatchException e = refusedBy(RawPeer.Frames.frame(body.array()), MessengerOptions.defaults());
        assertThat(e.getMessage(), containsString("The peer's hello is malformed"));
    }

    @Test
    void shouldTellAHelloCutAfterItsVersionFromAFrameTooShortToBeOne() throws Exception {
        // Kind, magic and version (9 bytes) make a hello that lacks its names: malformed.
        byte[] cut = ByteBuffer.allocate(9).put(FrameKind.HELLO.code()).putInt(Wire.MAGIC).putInt(Wire.PROTOCOL_VERSION)
                .array();
        assertThat(refusedBy(RawPeer.Frames.frame(cut), MessengerOptions.defaults()).getMessage(),
                containsString("The peer's hello is malformed"));
        // One byte less is not a hello at all.
        assertThat(refusedBy(RawPeer.Frames.frame(Arrays.copyOf(cut, 8)), MessengerOptions.defaults()).getMessage(),
                containsString("its first frame is not a coproc hello"));
        // Another kind of frame with the right magic is not one either.
        byte[] data = cut.clone();
        data[0] = FrameKind.DATA.code();
        assertThat(refusedBy(RawPeer.Frames.frame(data), MessengerOptions.defaults()).getMessage(),
                containsString("its first frame is not a coproc hello"));
    }

    @Test
    void shouldAcceptAHelloOfExactlyTheMaximumLengthAndRefuseALongerFirstFrame() throws Exception {
        byte[] name = "kryo".getBytes(StandardCharsets.UTF_8);
        byte[] secret = new byte[Handshake.MAX_HELLO_LENGTH - (1 + 4 + 4 + 2 + name.length + 2)];
        // The longest hello a peer may send: it is read, and refused only for its secret.
        assertThat(refusedBy(hello(Wire.MAGIC, Wire.PROTOCOL_VERSION, "kryo", secret), MessengerOptions.defaults())
                .getMessage(), containsString("did not present the expected secret"));
        ProtocolMismatchException tooLong = refusedBy(hello(Wire.MAGIC, Wire.PROTOCOL_VERSION, "kryo",
                Arrays.copyOf(secret, secret.length + 1)), MessengerOptions.defaults());
        assertThat(tooLong.getMessage(), containsString("its first frame announces " + (Handshake.MAX_HELLO_LENGTH + 1)
                + " bytes where a coproc hello has at most " + Handshake.MAX_HELLO_LENGTH));
    }

    @Test
    void shouldFailWithPipeClosedWhenThePeerClosesBeforeItsHello() throws Exception {
        SocketChannel[] ends = RawPeer.socketPair();
        CompletableFuture<PipeMessenger> opening = RawPeer.openAsync(ends[0], MessengerOptions.defaults());
        // Take the messenger's hello, so that it is waiting for ours, then go away.
        FrameReader frames = new FrameReader(Handshake.MAX_HELLO_LENGTH);
        Handshake.read(ends[1], frames, "kryo", new byte[0]);
        ends[1].close();
        PipeClosedException e = failure(opening, PipeClosedException.class);
        assertThat(e.getMessage(), containsString("The peer closed the pipe before its handshake"));
    }

    @Test
    void shouldFailWithPipeClosedWhenThePeerSaysNothingWithinTheHandshakeTimeout() throws Exception {
        SocketChannel[] ends = RawPeer.socketPair();
        try (SocketChannel silent = ends[1]) {
            CompletableFuture<PipeMessenger> opening = RawPeer.openAsync(ends[0],
                    MessengerOptions.defaults().withHandshakeTimeout(Duration.ofMillis(200)));
            PipeClosedException e = failure(opening, PipeClosedException.class);
            assertThat(e.getMessage(), allOf(containsString("No handshake from the peer within PT0.2S"),
                    containsString("is it a coproc messenger")));
            assertFalse(ends[0].isOpen(), "the channel of a failed handshake is closed");
        }
    }

    @Test
    void shouldSayNothingToAPeerWithoutTheSecretWhenAccepting() throws Exception {
        SocketChannel[] ends = RawPeer.socketPair();
        try (SocketChannel intruder = ends[1]) {
            CompletableFuture<PipeMessenger> accepting = CompletableFuture.supplyAsync(() -> {
                try {
                    return PipeMessenger.accept(MessengerKind.PRIORITY, ends[0],
                            MessengerOptions.defaults().withSecret(SECRET));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            intruder.write(ByteBuffer.wrap(hello(Wire.MAGIC, 1, "kryo", "a guess".getBytes(StandardCharsets.UTF_8))));
            ProtocolMismatchException e = failure(accepting, ProtocolMismatchException.class);
            assertThat(e.getMessage(), containsString("did not present the expected secret"));
            ByteBuffer heard = ByteBuffer.allocate(64);
            assertEquals(-1, intruder.read(heard), "the accepting side closed without a word");
            assertEquals(0, heard.position());
        }
    }

    @Test
    void shouldConnectAnAcceptingSideToAnOpeningOneWithTheSameSecret() throws Exception {
        MessengerOptions options = MessengerOptions.defaults().withSecret(SECRET);
        SocketChannel[] ends = RawPeer.socketPair();
        CompletableFuture<PipeMessenger> accepting = CompletableFuture.supplyAsync(() -> {
            try {
                return PipeMessenger.accept(MessengerKind.MULTI, ends[0], options);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (PipeMessenger opened = PipeMessenger.open(MessengerKind.MULTI, ends[1], options);
                PipeMessenger accepted = accepting.get(10, TimeUnit.SECONDS)) {
            opened.sendRequest("ping");
            assertEquals("ping", accepted.receiveBlocking(Duration.ofSeconds(10)));
        }
    }

    /** Opens a messenger against a peer that writes {@code bytes} first; expects a mismatch. */
    private static ProtocolMismatchException refusedBy(byte[] bytes, MessengerOptions options) throws IOException {
        SocketChannel[] ends = RawPeer.socketPair();
        try (SocketChannel peer = ends[1]) {
            CompletableFuture<PipeMessenger> opening = RawPeer.openAsync(ends[0], options);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                peer.write(buffer);
            }
            ProtocolMismatchException e = failure(opening, ProtocolMismatchException.class);
            assertFalse(ends[0].isOpen(), "the channel of a refused peer is closed");
            return e;
        }
    }

    private static <E extends Throwable> E failure(CompletableFuture<PipeMessenger> opening, Class<E> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> opening.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }

    /** A hello frame as {@link Handshake#write} makes it, with any magic and version. */
    private static byte[] hello(int magic, int version, String serializer, byte[] secret) {
        byte[] name = serializer.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + 4 + 2 + name.length + 2 + secret.length);
        body.put(FrameKind.HELLO.code()).putInt(magic).putInt(version);
        body.putShort((short) name.length).put(name).putShort((short) secret.length).put(secret);
        return RawPeer.Frames.frame(body.array());
    }
}
