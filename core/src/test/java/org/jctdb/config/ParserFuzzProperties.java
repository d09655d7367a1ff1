package org.jctdb.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated input to every parser yields a configuration or a ConfigException naming
 * the file, never any other exception.
 */
class ParserFuzzProperties {
    private static final List<String> GOOD_CONF = List.of(
            "[logging]",
            "location = file:/x",
            "log level = NOTICE",
            "[cluster]",
            "cluster lock = /cfs/lock",
            "leader timeout = 5",
            "node address = 10.0.0.1",
            "[legacy]",
            "start as stopped = false");
    private static final List<String> GOOD_NODES = List.of("10.0.0.1", "#10.0.0.2", "fd00::3", "");
    private static final List<String> GOOD_PA = List.of("10.0.1.1/24 eth1", "fd00:1::1/64 eth1,eth2", "# c");
    private static final List<String> GOOD_TUN = List.of("MonitorInterval=20", "# c", "KeepaliveLimit=3");

    @Provide
    Arbitrary<List<String>> mutatedLines() {
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("[]=#;/:,. \t\u00e9\0abcdefxyz0123456789-!")
                .ofMaxLength(40);
        Arbitrary<List<String>> base = Arbitraries.of(GOOD_CONF, GOOD_NODES, GOOD_PA, GOOD_TUN);
        return base.flatMap(lines -> Arbitraries.integers()
                .between(0, 6)
                .flatMap(n -> noise.list()
                        .ofSize(n)
                        .flatMap(inserts -> Arbitraries.integers()
                                .between(0, 1000)
                                .list()
                                .ofSize(n)
                                .map(positions -> mutate(lines, inserts, positions)))));
    }

    private static List<String> mutate(List<String> lines, List<String> inserts, List<Integer> positions) {
        List<String> out = new ArrayList<>(lines);
        for (int i = 0; i < inserts.size(); i++) {
            int at = positions.get(i) % (out.size() + 1);
            if (i % 2 == 0 && at < out.size()) {
                String l = out.get(at);
                int cut = positions.get(i) % (l.length() + 1);
                out.set(at, l.substring(0, cut) + inserts.get(i) + l.substring(cut));
            } else {
                out.add(at, inserts.get(i));
            }
        }
        return out;
    }

    @Property(tries = 400)
    void everyParserEitherParsesOrNamesTheFile(@ForAll("mutatedLines") List<String> lines) {
        check("ctdb.conf", () -> CtdbConfReader.parse(IniFile.parse("ctdb.conf", lines), "file:/x"));
        check("nodes", () -> NodesFile.parse("nodes", lines));
        check("public_addresses", () -> PublicAddressesFile.parse("public_addresses", lines));
        check("ctdb.tunables", () -> Tunables.parse("ctdb.tunables", lines, new ArrayList<>()));
    }

    @Property(tries = 300)
    void randomTextNeverEscapesAsAnotherException(@ForAll List<String> lines) {
        everyParserEitherParsesOrNamesTheFile(lines);
    }

    interface Parse {
        Object run() throws ConfigException;
    }

    private static void check(String file, Parse p) {
        try {
            assertThat(p.run()).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file + ":");
        }
    }
}
