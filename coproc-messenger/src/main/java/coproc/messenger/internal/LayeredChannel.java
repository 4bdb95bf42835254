package coproc.messenger.internal;

import java.nio.channels.ByteChannel;
import java.nio.channels.SelectableChannel;

/**
 * A channel layered on a selectable socket, such as TLS over TCP: a pipe reads and writes it
 * without blocking, waiting in selectors on its {@link #transport()}, as it does a plain socket.
 * Bytes held inside the layer are invisible to a selector, so a pipe asks for them before it
 * waits.
 *
 * <p>While the transport is in blocking mode, the channel blocks as a plain blocking channel
 * does (the handshake runs so). Once the pipe has made the transport non-blocking, a read
 * returns 0 when no whole record has arrived, and a write may take bytes it has not yet been
 * able to pass on ({@link #hasPendingOutput()}). One thread may read while another writes.
 */
public interface LayeredChannel extends ByteChannel {

    /**
     * Returns the socket this channel is layered on, which the pipe switches to non-blocking
     * mode and registers with its selectors.
     *
     * @return the transport
     */
    SelectableChannel transport();

    /**
     * Returns whether a read would return bytes, or the end of the stream, without the
     * transport receiving anything more: bytes decoded or whole records held in the layer.
     * Called by the reading thread.
     *
     * @return {@code true} if a read would not return 0
     */
    boolean hasBufferedInput();

    /**
     * Returns whether bytes that writes took are still waiting for room in the transport; a
     * write, even of an empty buffer, passes on as many of them as the transport takes.
     * Called by the writing thread.
     *
     * @return {@code true} if bytes wait to be passed on
     */
    boolean hasPendingOutput();
}
