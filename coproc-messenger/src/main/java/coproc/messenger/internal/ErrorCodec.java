package coproc.messenger.internal;

import coproc.api.RemoteWorkerException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Carries exceptions across the pipe with JDK serialization, whatever the data serializer.
 *
 * <p>The body holds a plain description of the exception and its causes (class name,
 * message, stack trace), which always decodes, then the JDK-serialized exception if it could
 * be serialized. The receiver throws the exception itself when it is unchecked and its class
 * is present; otherwise a {@link RemoteWorkerException} built from the description.
 */
final class ErrorCodec {

    private static final int MAX_CAUSES = 32;

    private ErrorCodec() {
    }

    static void encode(Throwable error, FrameBuffer out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        List<Throwable> chain = chain(error);
        data.writeInt(chain.size());
        for (Throwable t : chain) {
            writeString(data, t.getClass().getName());
            writeString(data, t.getMessage());
            StackTraceElement[] stack = t.getStackTrace();
            data.writeInt(stack.length);
            for (StackTraceElement frame : stack) {
                writeString(data, frame.getClassName());
                writeString(data, frame.getMethodName());
                writeString(data, frame.getFileName());
                data.writeInt(frame.getLineNumber());
            }
        }
        data.flush(); // a no-op today (DataOutputStream does not buffer, FrameBuffer writes at once): no test can miss it
        int lengthAt = out.size();
        out.writeInt(-1);
        int start = out.size();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(error);
        } catch (IOException | RuntimeException notSerializable) {
            out.truncate(start); // the description alone will do
            return;
        }
        out.putInt(lengthAt, out.size() - start);
    }

    static Throwable decode(byte[] bytes, int offset, int length) throws IOException {
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
        int count = data.readInt();
        if (count < 1 || count > MAX_CAUSES) {
            throw new IOException("bad cause count " + count);
        }
        List<RemoteWorkerException> described = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String className = readString(data);
            String message = readString(data);
            int frames = data.readInt();
            // A frame takes at least 16 bytes, so a depth equal to the bytes left fails later all the same:
            // ">=" here would change only which IOException refuses the description, never the result.
            if (frames < 0 || frames > data.available()) {
                throw new IOException("bad stack depth " + frames);
            }
            StackTraceElement[] stack = new StackTraceElement[frames];
            for (int f = 0; f < frames; f++) {
                stack[f] = new StackTraceElement(readString(data), readString(data), readString(data), data.readInt());
            }
            described.add(new RemoteWorkerException(className, message, stack, null));
        }
        int blobLength = data.readInt();
        Throwable original = null;
        // ">= 0" would make no difference: zero bytes do not deserialize, so deserialize would return null.
        if (blobLength > 0 && blobLength <= data.available()) {
            original = deserialize(bytes, offset + length - data.available(), blobLength);
        }
        if (original instanceof RuntimeException || original instanceof Error) {
            return original;
        }
        RemoteWorkerException head = described.get(0);
        Throwable cause = original;
        if (cause == null) {
            for (int i = described.size() - 1; i > 0; i--) {
                RemoteWorkerException d = described.get(i);
                cause = new RemoteWorkerException(d.remoteClassName(), d.remoteMessage(), d.getStackTrace(), cause);
            }
        }
        return new RemoteWorkerException(head.remoteClassName(), head.remoteMessage(), head.getStackTrace(), cause);
    }

    /** Returns null when the class is missing here or the bytes do not decode. */
    private static Throwable deserialize(byte[] bytes, int offset, int length) {
        ObjectInputFilter limits = ObjectInputFilter.Config.createFilter(
                "maxdepth=64;maxarray=100000;maxrefs=100000;maxbytes=" + length);
        try (ObjectInputStream objects = new ContextObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            objects.setObjectInputFilter(limits);
            Object value = objects.readObject();
            return value instanceof Throwable t ? t : null;
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && chain.size() < MAX_CAUSES && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void writeString(DataOutputStream data, String value) throws IOException {
        if (value == null) {
            data.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        data.writeInt(utf8.length);
        data.write(utf8);
    }

    private static String readString(DataInputStream data) throws IOException {
        int length = data.readInt();
        if (length < 0) {
            return null;
        }
        // A string is never last (at least the blob length follows), so one that fills the rest fails at the
        // next read: ">=" here would change only which IOException refuses the description.
        if (length > data.available()) {
            throw new IOException("string length " + length + " exceeds the frame");
        }
        byte[] utf8 = new byte[length];
        data.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
