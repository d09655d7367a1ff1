package org.jctdb.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The local control socket's wire format, kept to plain data streams so that the
 * {@code jctdb} command loads almost nothing on its start-up path.
 * Request: magic, argument count, arguments. Reply: exit code, stdout, stderr.
 * Strings are a 4-byte length and UTF-8 bytes.
 */
public final class ControlFrames {
    static final int MAGIC = 0x4a435431; // "JCT1"
    static final int MAX_ARGS = 1024;
    static final int MAX_ARG_BYTES = 64 * 1024;
    static final int MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

    private ControlFrames() {}

    public static void writeRequest(DataOutputStream out, List<String> argv) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(argv.size());
        for (String a : argv) {
            writeString(out, a);
        }
        out.flush();
    }

    public static List<String> readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a jctdb control request");
        }
        int n = in.readInt();
        if (n < 0 || n > MAX_ARGS) {
            throw new IOException("too many arguments: " + n);
        }
        List<String> argv = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            argv.add(readString(in, MAX_ARG_BYTES));
        }
        return argv;
    }

    public static void writeReply(DataOutputStream out, ControlReply reply) throws IOException {
        out.writeInt(reply.exitCode());
        writeString(out, reply.stdout());
        writeString(out, reply.stderr());
        out.flush();
    }

    public static ControlReply readReply(DataInputStream in) throws IOException {
        int code = in.readInt();
        return new ControlReply(code, readString(in, MAX_OUTPUT_BYTES), readString(in, MAX_OUTPUT_BYTES));
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, int limit) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > limit) {
            throw new IOException("string of " + len + " bytes exceeds the limit of " + limit);
        }
        byte[] b = new byte[len];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new IOException("connection closed in the middle of a message");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
