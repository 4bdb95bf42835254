package coproc.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns channels and payloads into bytes and back. Exceptions sent with
 * {@code sendError} do not pass through it: they always travel with JDK serialization.
 *
 * <p>An instance is used by one thread at a time, for one direction of one pipe, for as long
 * as the pipe lives, so it may keep and reuse buffers. Each value is serialized on its own:
 * {@link #deserialize} receives exactly the bytes that one {@link #serialize} call wrote.
 * A serializer may not keep state that makes one value's bytes depend on an earlier value's,
 * because a failed send discards the bytes written for it.
 */
public interface Serializer {

    /**
     * Writes the encoding of one value. The stream is an in-memory buffer owned by the
     * messenger; the serializer must not close it.
     *
     * @param value the value, possibly {@code null}
     * @param out where to write
     * @throws IOException if writing fails
     * @throws RuntimeException if the value cannot be serialized; the messenger reports it as
     *     a {@code SerializationException} and stays usable
     */
    void serialize(Object value, OutputStream out) throws IOException;

    /**
     * Reads one value from the bytes one {@link #serialize} call wrote.
     *
     * @param in the value's bytes, and nothing more
     * @return the value, possibly {@code null}
     * @throws IOException if reading fails
     * @throws RuntimeException if the bytes do not decode; the messenger reports it as a
     *     {@code CorruptFrameException}
     */
    Object deserialize(InputStream in) throws IOException;
}
