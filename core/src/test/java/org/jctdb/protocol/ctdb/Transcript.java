package org.jctdb.protocol.ctdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A transcript written by tools/ctdb-recorder: `<conn> <c2s|s2c> <hex>` lines, '#' comments. */
record Transcript(String name, List<Transcript.Packet> packets) {
    static final String DIR = "/org/jctdb/protocol/ctdb/transcripts/";

    record Packet(int conn, boolean fromClient, byte[] bytes, int line) {}

    static Transcript load(String name) {
        try {
            URL url = Transcript.class.getResource(DIR + name + ".transcript");
            if (url == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            List<Packet> packets = new ArrayList<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(Path.of(url.toURI()))) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                if (f.length != 3 || !(f[1].equals("c2s") || f[1].equals("s2c"))) {
                    throw new IllegalStateException(name + ":" + lineNo + ": not a transcript line");
                }
                packets.add(new Packet(
                        Integer.parseInt(f[0]),
                        f[1].equals("c2s"),
                        HexFormat.of().parseHex(f[2]),
                        lineNo));
            }
            return new Transcript(name, packets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> all() {
        try {
            Path dir = Path.of(Transcript.class.getResource(DIR).toURI());
            try (Stream<Path> s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".transcript"))
                        .map(n -> n.substring(0, n.length() - ".transcript".length()))
                        .sorted()
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every packet decoded, in order. */
    List<Decoded> decodeAll() throws BadPacketException {
        CtdbCodec codec = new CtdbCodec();
        List<Decoded> out = new ArrayList<>();
        for (Packet p : packets) {
            out.add(new Decoded(p, codec.decode(p.bytes())));
        }
        return out;
    }

    record Decoded(Packet raw, CtdbCodec.Frame frame) {
        CtdbPacket packet() {
            return frame.packet();
        }

        CtdbHeader header() {
            return frame.header();
        }
    }
}
