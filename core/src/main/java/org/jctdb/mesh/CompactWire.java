package org.jctdb.mesh;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The encoding of every mesh message but the record migration and relay ones ({@link BinaryWire}):
 * handshakes, keepalives, node states, the leader's and IP failover's messages, recoveries and their
 * fragments, forwarded commands, traverses and tickle lists. Read from the records themselves: a
 * record is its components in declaration order and is rebuilt through its canonical constructor
 * (whose checks a peer's values pass through); a value of a sealed interface starts with its type
 * name from {@code @JsonSubTypes}. So a record added to one of those interfaces travels with no
 * change here; one with a component type not listed below cannot be sent (WireCodecTest checks
 * every message type). There is no JSON on the mesh: the daemon never loads Jackson's data binding
 * for it (~660 classes, 3-4 MB per node; bench/README.md, "Daemon memory"). Nodes of one build
 * only: the layout follows the records.
 *
 * <pre>
 * frame      0x20, then the message as a value of WireMessage
 * interface  type name (u8 length, ASCII), then the record
 * record     each component in order
 * int i32 | long i64 | boolean u8 | String u32 length + UTF-8 | byte[] u32 length + bytes
 * enum u16 ordinal | List, Set u32 count + elements | Map, SortedMap u32 count + (key, value) pairs
 * a component of a reference type, and an element, key or value: u8 0 (null) or 1, then the value
 * </pre>
 */
final class CompactWire {
    static final byte TAG = 0x20;

    /** The messages in this form: all but {@link BinaryWire}'s. */
    private static final Set<Class<?>> ROOTS = Arrays.stream(WireMessage.class.getPermittedSubclasses())
            .filter(c -> c != WireMessage.Migration.class && c != WireMessage.CtdbRelay.class)
            .collect(Collectors.toUnmodifiableSet());

    private static final Map<Class<?>, Optional<Rec>> RECORDS = new ConcurrentHashMap<>();
    private static final Sealed ROOT = sealed(WireMessage.class).orElseThrow();

    /** A value this encoding cannot carry (a type with no form here): the message cannot be sent. */
    private static final class NotCompact extends RuntimeException {
        NotCompact() {
            super(null, null, false, false);
        }
    }

    private static final NotCompact NOT_COMPACT = new NotCompact();

    /** Interface values inside interface values, at most (a hostile frame must not exhaust the stack). */
    private static final int MAX_DEPTH = 8;

    /** The frame being read, and how deep in interface values the reader is. */
    private static final class In {
        final ByteBuffer b;
        int depth;

        In(ByteBuffer b) {
            this.b = b;
        }
    }

    private CompactWire() {}

    /** The compact bytes of {@code m}, or empty for a message that has no form here. */
    static Optional<byte[]> encode(WireMessage m) {
        if (!ROOTS.contains(m.getClass())) {
            return Optional.empty();
        }
        Out out = new Out();
        out.u8(TAG);
        try {
            ROOT.write(out, m);
        } catch (NotCompact e) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(out.buf, out.len));
    }

    /** Decodes a frame whose first byte is {@link #TAG}. */
    static WireMessage decode(byte[] frame) throws BadMessageException {
        In in = new In(ByteBuffer.wrap(frame, 1, frame.length - 1));
        try {
            Object m = ROOT.read(in, ROOTS);
            if (in.b.hasRemaining()) {
                throw new BadMessageException(
                        "compact message has " + in.b.remaining() + " bytes after its last field");
            }
            return (WireMessage) m;
        } catch (BufferUnderflowException e) {
            throw new BadMessageException("compact message truncated (" + frame.length + " bytes)");
        }
    }

    // ---- what each type is on the wire, worked out once per type from reflection ----

    private abstract static class Codec {
        abstract void write(Out out, Object v);

        abstract Object read(In in) throws BadMessageException;
    }

    /** A record: its components' codecs, accessors and canonical constructor. */
    private static final class Rec extends Codec {
        final Class<?> type;
        final Method[] accessors;
        final Codec[] codecs;
        final Constructor<?> constructor;

        Rec(Class<?> type, Method[] accessors, Codec[] codecs, Constructor<?> constructor) {
            this.type = type;
            this.accessors = accessors;
            this.codecs = codecs;
            this.constructor = constructor;
        }

        @Override
        void write(Out out, Object v) {
            for (int i = 0; i < accessors.length; i++) {
                try {
                    codecs[i].write(out, accessors[i].invoke(v));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read " + accessors[i] + " of " + type.getName(), e);
                }
            }
        }

        @Override
        Object read(In in) throws BadMessageException {
            Object[] args = new Object[codecs.length];
            for (int i = 0; i < codecs.length; i++) {
                args[i] = codecs[i].read(in);
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new BadMessageException(type.getSimpleName() + " rejected its fields: " + e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw new BadMessageException("cannot build " + type.getSimpleName() + ": " + e);
            }
        }
    }

    /** A sealed interface with Jackson type names: the name, then the record. */
    private static final class Sealed extends Codec {
        final Class<?> type;
        final Map<String, Class<?>> byName;
        final Map<Class<?>, byte[]> names;

        Sealed(Class<?> type, Map<String, Class<?>> byName, Map<Class<?>, byte[]> names) {
            this.type = type;
            this.byName = byName;
            this.names = names;
        }

        @Override
        void write(Out out, Object v) {
            byte[] name = names.get(v.getClass());
            if (name == null) {
                throw NOT_COMPACT;
            }
            Rec rec = record(v.getClass()).orElseThrow(() -> NOT_COMPACT);
            out.u8(name.length);
            out.bytes(name);
            rec.write(out, v);
        }

        @Override
        Object read(In in) throws BadMessageException {
            return read(in, null);
        }

        Object read(In in, Set<Class<?>> allowed) throws BadMessageException {
            if (++in.depth > MAX_DEPTH) {
                throw new BadMessageException("compact message nested deeper than " + MAX_DEPTH);
            }
            byte[] raw = new byte[in.b.get() & 0xff];
            in.b.get(raw);
            String name = new String(raw, StandardCharsets.US_ASCII);
            Class<?> c = byName.get(name);
            if (c == null || (allowed != null && !allowed.contains(c))) {
                throw new BadMessageException("unknown " + type.getSimpleName() + " type \"" + printable(name) + "\"");
            }
            Optional<Rec> rec = record(c);
            if (rec.isEmpty()) {
                throw new BadMessageException(type.getSimpleName() + " type \"" + name + "\" is not sent compact");
            }
            Object v = rec.get().read(in);
            in.depth--;
            return v;
        }
    }

    /** A reference: a presence byte first. */
    private static final class Nullable extends Codec {
        final Codec value;

        Nullable(Codec value) {
            this.value = value;
        }

        @Override
        void write(Out out, Object v) {
            out.u8(v == null ? 0 : 1);
            if (v != null) {
                value.write(out, v);
            }
        }

        @Override
        Object read(In in) throws BadMessageException {
            return switch (in.b.get()) {
                case 0 -> null;
                case 1 -> value.read(in);
                default -> throw new BadMessageException("compact message: bad presence byte");
            };
        }
    }

    private enum Scalar {
        INT,
        LONG,
        BOOLEAN,
        STRING,
        BYTES
    }

    private static final class Simple extends Codec {
        final Scalar kind;

        Simple(Scalar kind) {
            this.kind = kind;
        }

        @Override
        void write(Out out, Object v) {
            switch (kind) {
                case INT -> out.i32((Integer) v);
                case LONG -> out.i64((Long) v);
                case BOOLEAN -> out.u8((Boolean) v ? 1 : 0);
                case STRING -> out.blob(((String) v).getBytes(StandardCharsets.UTF_8));
                case BYTES -> out.blob((byte[]) v);
            }
        }

        @Override
        Object read(In in) throws BadMessageException {
            return switch (kind) {
                case INT -> in.b.getInt();
                case LONG -> in.b.getLong();
                case BOOLEAN ->
                    switch (in.b.get()) {
                        case 0 -> false;
                        case 1 -> true;
                        default -> throw new BadMessageException("compact message: bad boolean");
                    };
                case STRING -> utf8(blob(in.b));
                case BYTES -> blob(in.b);
            };
        }
    }

    private static final class EnumCodec extends Codec {
        final Object[] constants;

        EnumCodec(Class<?> type) {
            this.constants = type.getEnumConstants();
        }

        @Override
        void write(Out out, Object v) {
            out.u16(((Enum<?>) v).ordinal());
        }

        @Override
        Object read(In in) throws BadMessageException {
            int i = in.b.getShort() & 0xffff;
            if (i >= constants.length) {
                throw new BadMessageException("compact message: no constant " + i + " in "
                        + constants.getClass().getComponentType().getSimpleName());
            }
            return constants[i];
        }
    }

    /** List, Set or Map: a count, then the elements (or key, value pairs), each at least a byte. */
    private static final class Many extends Codec {
        final Class<?> raw;
        final Codec element;
        final Codec value; // maps only

        Many(Class<?> raw, Codec element, Codec value) {
            this.raw = raw;
            this.element = element;
            this.value = value;
        }

        @Override
        void write(Out out, Object v) {
            if (value != null) {
                Map<?, ?> m = (Map<?, ?>) v;
                out.i32(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    element.write(out, e.getKey());
                    value.write(out, e.getValue());
                }
                return;
            }
            Collection<?> c = (Collection<?>) v;
            out.i32(c.size());
            for (Object o : c) {
                element.write(out, o);
            }
        }

        @Override
        Object read(In in) throws BadMessageException {
            int n = in.b.getInt();
            if (n < 0 || n > in.b.remaining()) {
                throw new BadMessageException("compact message: " + Integer.toUnsignedString(n) + " elements in "
                        + in.b.remaining() + " bytes");
            }
            if (value != null) {
                Map<Object, Object> m = raw == SortedMap.class ? new TreeMap<>() : new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = element.read(in);
                    if (k == null && raw == SortedMap.class) {
                        throw new BadMessageException("compact message: a sorted map with a null key");
                    }
                    m.put(k, value.read(in));
                }
                return m;
            }
            Collection<Object> c = raw == Set.class ? new LinkedHashSet<>() : new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                c.add(element.read(in));
            }
            return c;
        }
    }

    /** Whether records of class {@code c} can travel compact (tests). */
    static boolean carries(Class<?> c) {
        return record(c).isPresent();
    }

    /** The record codec of {@code c}, or empty when c is not a record this encoding carries exactly. */
    private static Optional<Rec> record(Class<?> c) {
        Optional<Rec> known = RECORDS.get(c);
        if (known != null) {
            return known;
        }
        Optional<Rec> made = analyse(c, new HashSet<>());
        RECORDS.putIfAbsent(c, made);
        return RECORDS.get(c);
    }

    private static Optional<Rec> analyse(Class<?> c, Set<Class<?>> inProgress) {
        if (!c.isRecord() || !inProgress.add(c)) {
            return Optional.empty(); // a recursive record would need a depth bound
        }
        try {
            RecordComponent[] rc = c.getRecordComponents();
            Method[] accessors = new Method[rc.length];
            Codec[] codecs = new Codec[rc.length];
            Class<?>[] raw = new Class<?>[rc.length];
            for (int i = 0; i < rc.length; i++) {
                Optional<Codec> codec = component(rc[i].getGenericType(), inProgress);
                if (codec.isEmpty()) {
                    return Optional.empty();
                }
                accessors[i] = rc[i].getAccessor();
                accessors[i].setAccessible(true);
                codecs[i] = codec.get();
                raw[i] = rc[i].getType();
            }
            Constructor<?> ctor = c.getDeclaredConstructor(raw);
            ctor.setAccessible(true);
            return Optional.of(new Rec(c, accessors, codecs, ctor));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        } finally {
            inProgress.remove(c);
        }
    }

    /** A component's codec: primitives as they are, every reference type behind a presence byte. */
    private static Optional<Codec> component(Type t, Set<Class<?>> inProgress) {
        if (t == int.class) {
            return Optional.of(new Simple(Scalar.INT));
        }
        if (t == long.class) {
            return Optional.of(new Simple(Scalar.LONG));
        }
        if (t == boolean.class) {
            return Optional.of(new Simple(Scalar.BOOLEAN));
        }
        return reference(t, inProgress).map(Nullable::new);
    }

    private static Optional<Codec> reference(Type t, Set<Class<?>> inProgress) {
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class || raw == Set.class) {
                return reference(args[0], inProgress).map(e -> new Many(raw, new Nullable(e), null));
            }
            boolean sorted =
                    raw == SortedMap.class && args[0] instanceof Class<?> key && Comparable.class.isAssignableFrom(key);
            if (raw == Map.class || sorted) {
                Optional<Codec> k = reference(args[0], inProgress);
                Optional<Codec> v = reference(args[1], inProgress);
                return k.isPresent() && v.isPresent()
                        ? Optional.of(new Many(raw, new Nullable(k.get()), new Nullable(v.get())))
                        : Optional.empty();
            }
            return Optional.empty();
        }
        if (!(t instanceof Class<?> c)) {
            return Optional.empty();
        }
        if (c == Integer.class) {
            return Optional.of(new Simple(Scalar.INT));
        }
        if (c == Long.class) {
            return Optional.of(new Simple(Scalar.LONG));
        }
        if (c == Boolean.class) {
            return Optional.of(new Simple(Scalar.BOOLEAN));
        }
        if (c == String.class) {
            return Optional.of(new Simple(Scalar.STRING));
        }
        if (c == byte[].class) {
            return Optional.of(new Simple(Scalar.BYTES));
        }
        if (c.isEnum()) {
            return Optional.of(new EnumCodec(c));
        }
        if (c.isRecord()) {
            Optional<Rec> known = RECORDS.get(c);
            return known != null ? known.map(r -> r) : analyse(c, inProgress).map(r -> r);
        }
        if (c.isInterface() && c.isSealed()) {
            return sealed(c).map(s -> s);
        }
        return Optional.empty();
    }

    /** The type names of a sealed interface, from the {@code @JsonSubTypes} Jackson reads (its own or inherited). */
    private static Optional<Sealed> sealed(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getInterfaces().length == 1 ? k.getInterfaces()[0] : null) {
            JsonTypeInfo info = k.getAnnotation(JsonTypeInfo.class);
            JsonSubTypes subs = k.getAnnotation(JsonSubTypes.class);
            if (info == null && subs == null) {
                continue;
            }
            if (info == null || subs == null || info.use() != JsonTypeInfo.Id.NAME) {
                return Optional.empty();
            }
            Map<String, Class<?>> byName = new HashMap<>();
            Map<Class<?>, byte[]> names = new HashMap<>();
            for (JsonSubTypes.Type s : subs.value()) {
                if (c.isAssignableFrom(s.value())
                        && s.name().length() < 256
                        && s.name().chars().allMatch(ch -> ch < 128)) {
                    byName.put(s.name(), s.value());
                    names.put(s.value(), s.name().getBytes(StandardCharsets.US_ASCII));
                }
            }
            return Optional.of(new Sealed(c, Map.copyOf(byName), Map.copyOf(names)));
        }
        return Optional.empty();
    }

    // ---- bytes ----

    private static byte[] blob(ByteBuffer in) throws BadMessageException {
        long len = Integer.toUnsignedLong(in.getInt());
        if (len > in.remaining()) {
            throw new BadMessageException(
                    "compact message: length " + len + " exceeds the " + in.remaining() + " bytes left in the frame");
        }
        byte[] b = new byte[(int) len];
        in.get(b);
        return b;
    }

    /** Text as sent: malformed UTF-8 is a bad message, not replacement characters. */
    private static String utf8(byte[] b) throws BadMessageException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadMessageException("compact message: a string that is not UTF-8");
        }
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** A growing big-endian byte buffer. */
    private static final class Out {
        byte[] buf = new byte[64];
        int len;

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        void u8(int v) {
            room(1);
            buf[len++] = (byte) v;
        }

        void u16(int v) {
            room(2);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void i32(int v) {
            room(4);
            for (int s = 24; s >= 0; s -= 8) {
                buf[len++] = (byte) (v >>> s);
            }
        }

        void i64(long v) {
            room(8);
            for (int s = 56; s >= 0; s -= 8) {
                buf[len++] = (byte) (v >>> s);
            }
        }

        void bytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void blob(byte[] b) {
            i32(b.length);
            bytes(b);
        }
    }
}
