package coproc.worker.internal;

import coproc.messenger.internal.OutputSink;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Turns a worker's output frames back into text for the consumers its options chose: UTF-8,
 * decoded per stream across frames (a character cut between two frames is whole again).
 * Called by one pipe reader at a time.
 */
final class OutputText implements OutputSink {

    private final Decoder stdout;
    private final Decoder stderr;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param stdout takes standard output's text
     * @param stderr takes standard error's text
     * @param onEnd run once, when the pipe has ended
     */
    OutputText(Consumer<String> stdout, Consumer<String> stderr, Runnable onEnd) {
        this.stdout = new Decoder(stdout);
        this.stderr = new Decoder(stderr);
        this.onEnd = onEnd;
    }

    @Override
    public void write(boolean standardError, byte[] bytes, int offset, int length) {
        (standardError ? stderr : stdout).decode(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    /** One stream's decoder, keeping the bytes of a character that a frame cut. */
    private static final class Decoder {

        private final Consumer<String> text;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer left = ByteBuffer.allocate(0);

        Decoder(Consumer<String> text) {
            this.text = text;
        }

        synchronized void decode(ByteBuffer bytes) {
            ByteBuffer in = bytes;
            if (left.hasRemaining()) {
                in = ByteBuffer.allocate(left.remaining() + bytes.remaining()).put(left).put(bytes).flip();
            }
            CharBuffer out = CharBuffer.allocate(in.remaining());
            utf8.decode(in, out, false);
            left = ByteBuffer.allocate(in.remaining()).put(in).flip();
            if (out.position() > 0) {
                text.accept(out.flip().toString());
            }
        }
    }
}
