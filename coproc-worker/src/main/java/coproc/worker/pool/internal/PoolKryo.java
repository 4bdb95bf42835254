package coproc.worker.pool.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import coproc.messenger.kryo.KryoCustomizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the pool's messages ({@link Wire}) with Kryo, in the host and in every worker,
 * with serializers of their own: no class names on the wire, no reflection, and a chunk whose
 * items are all {@code Integer}s, {@code Long}s, {@code Double}s or {@code String}s written as
 * a packed run of values rather than value after class after value.
 *
 * <p>Decoding is bounded as the built-in serializer's is: a count is refused if the bytes left
 * in the frame could not hold that many values.
 */
public final class PoolKryo implements KryoCustomizer {

    private static final byte ANY = 0;
    private static final byte INTEGERS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;

    /** Creates the customizer; called by {@link java.util.ServiceLoader}. */
    public PoolKryo() {
    }

    @Override
    public void customize(Kryo kryo) {
        kryo.register(Wire.Chunk.class, PoolKryo.<Wire.Chunk>serializer((k, out, chunk) -> {
            out.writeVarLong(chunk.ticket(), true);
            out.writeVarLong(chunk.call(), true);
            out.writeVarLong(chunk.function(), true);
            writeItems(k, out, chunk.items());
        }, (k, in) -> new Wire.Chunk(in.readVarLong(true), in.readVarLong(true), in.readVarLong(true), readItems(k, in))));
        kryo.register(Wire.Done.class, PoolKryo.<Wire.Done>serializer((k, out, done) -> {
            out.writeVarLong(done.ticket(), true);
            out.writeVarInt(done.offset(), true);
            out.writeVarLong(done.nanos(), true);
            writeItems(k, out, done.results());
        }, (k, in) -> {
            long ticket = in.readVarLong(true);
            int offset = in.readVarInt(true);
            long nanos = in.readVarLong(true);
            return new Wire.Done(ticket, offset, readItems(k, in), nanos);
        }));
        kryo.register(Wire.LoadFunction.class, PoolKryo.<Wire.LoadFunction>serializer((k, out, load) -> {
            out.writeVarLong(load.id(), true);
            out.writeVarLong(load.forget(), false);
            out.writeVarInt(load.function().length, true);
            out.writeBytes(load.function());
        }, (k, in) -> {
            long id = in.readVarLong(true);
            long forget = in.readVarLong(false);
            return new Wire.LoadFunction(id, in.readBytes(count(in, 1)), forget);
        }));
        kryo.register(Wire.Batch.class, PoolKryo.<Wire.Batch>serializer((k, out, batch) -> {
            out.writeVarInt(batch.messages().size(), true);
            for (Object message : batch.messages()) {
                k.writeClassAndObject(out, message);
            }
        }, (k, in) -> {
            int size = count(in, 1);
            List<Object> messages = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                messages.add(k.readClassAndObject(in));
            }
            return new Wire.Batch(messages);
        }));
        kryo.register(Wire.Cancel.class, PoolKryo.<Wire.Cancel>serializer((k, out, cancel) -> out.writeVarLong(cancel.call(), true),
                (k, in) -> new Wire.Cancel(in.readVarLong(true))));
        kryo.register(Wire.Failed.class, PoolKryo.<Wire.Failed>serializer((k, out, failed) -> {
            out.writeVarLong(failed.ticket(), true);
            out.writeVarInt(failed.offset(), true);
        }, (k, in) -> new Wire.Failed(in.readVarLong(true), in.readVarInt(true))));
        kryo.register(Wire.Skipped.class, PoolKryo.<Wire.Skipped>serializer((k, out, skipped) -> out.writeVarLong(skipped.ticket(), true),
                (k, in) -> new Wire.Skipped(in.readVarLong(true))));
    }

    private static void writeItems(Kryo kryo, Output out, List<Object> items) {
        byte kind = kindOf(items);
        out.writeByte(kind);
        out.writeVarInt(items.size(), true);
        for (Object item : items) {
            switch (kind) {
                case INTEGERS -> out.writeVarInt((Integer) item, false);
                case LONGS -> out.writeVarLong((Long) item, false);
                case DOUBLES -> out.writeDouble((Double) item);
                case STRINGS -> out.writeString((String) item);
                default -> kryo.writeClassAndObject(out, item);
            }
        }
    }

    /** The kind every item is of, or {@link #ANY}. */
    private static byte kindOf(List<Object> items) {
        if (items.isEmpty() || items.get(0) == null) {
            return ANY;
        }
        Class<?> type = items.get(0).getClass();
        byte kind = type == Integer.class ? INTEGERS : type == Long.class ? LONGS : type == Double.class ? DOUBLES
                : type == String.class ? STRINGS : ANY;
        if (kind != ANY) {
            for (Object item : items) {
                if (item == null || item.getClass() != type) {
                    return ANY;
                }
            }
        }
        return kind;
    }

    private static List<Object> readItems(Kryo kryo, Input in) {
        byte kind = in.readByte();
        int size = count(in, 1);
        List<Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(switch (kind) {
                case INTEGERS -> in.readVarInt(false);
                case LONGS -> in.readVarLong(false);
                case DOUBLES -> in.readDouble();
                case STRINGS -> in.readString();
                case ANY -> kryo.readClassAndObject(in);
                default -> throw new KryoException("Unknown kind of items: " + kind);
            });
        }
        return items;
    }

    /** Reads a count, refusing one that the bytes left could not hold at the given size each. */
    private static int count(Input in, int minBytesEach) {
        int count = in.readVarInt(true);
        if (count < 0 || (long) count * minBytesEach > in.limit() - in.position()) {
            throw new KryoException("A count of " + count + " exceeds what is left of the frame");
        }
        return count;
    }

    /** Writes a value. */
    @FunctionalInterface
    private interface Writer<T> {
        void write(Kryo kryo, Output out, T value);
    }

    /** Reads a value. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(Kryo kryo, Input in);
    }

    private static <T> Serializer<T> serializer(Writer<T> writer, Reader<T> reader) {
        Serializer<T> serializer = new Serializer<>() {
            @Override
            public void write(Kryo kryo, Output output, T value) {
                writer.write(kryo, output, value);
            }

            @Override
            public T read(Kryo kryo, Input input, Class<? extends T> type) {
                return reader.read(kryo, input);
            }
        };
        serializer.setImmutable(true);
        return serializer;
    }
}
