package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.CtdbWire;
import org.jctdb.protocol.ctdb.LtdbHeader;
import org.junit.jupiter.api.Test;

/**
 * The database commands' output against what Debian's ctdb (CTDB 4.17.12) printed for the same
 * databases on a one-node jctdbd (resources ctdb-db-outputs/, node directory replaced by @NODE@).
 * The state behind them: writekey fmt_volatile.tdb k1 hello; writekey fmt_volatile.tdb 0x6b32
 * 0x00ff41225c7e7f20; deletekey fmt_volatile.tdb k1; pstore fmt_persistent.tdb pk pvalue.
 */
class DatabaseFormatTest {
    private static final String NODE = "@NODE@";

    private static String captured(String name) throws IOException {
        try (InputStream in = DatabaseFormatTest.class.getResourceAsStream("ctdb-db-outputs/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<DatabaseFormat.DbRow> dbmap() {
        return List.of(
                new DatabaseFormat.DbRow(
                        0x54138A81, "fmt_volatile.tdb", NODE + "/var/volatile/fmt_volatile.tdb.0", 0, false),
                new DatabaseFormat.DbRow(
                        0xBB5F9D4D,
                        "fmt_persistent.tdb",
                        NODE + "/var/persistent/fmt_persistent.tdb.0",
                        CtdbWire.DB_FLAGS_PERSISTENT,
                        false),
                new DatabaseFormat.DbRow(
                        0xE9A7AD28,
                        "fmt_replicated.tdb",
                        NODE + "/var/volatile/fmt_replicated.tdb.0",
                        CtdbWire.DB_FLAGS_REPLICATED,
                        false),
                new DatabaseFormat.DbRow(0x4D2A432B, "g_lock.tdb", NODE + "/var/volatile/g_lock.tdb.0", 0, false));
    }

    @Test
    void getdbmapHumanAndMachineReadable() throws IOException {
        assertThat(DatabaseFormat.dbmap(dbmap(), OutputStyle.HUMAN)).isEqualTo(captured("getdbmap.txt"));
        assertThat(DatabaseFormat.dbmap(dbmap(), new OutputStyle("|", false))).isEqualTo(captured("getdbmap-X.txt"));
        assertThat(DatabaseFormat.dbmap(dbmap(), new OutputStyle(",", false)))
                .isEqualTo(captured("getdbmap-x-comma.txt"));
    }

    @Test
    void getdbmapFlagsInCtdbsOrder() {
        DatabaseFormat.DbRow all = new DatabaseFormat.DbRow(1, "x", "/p", 0x0f, true);
        assertThat(DatabaseFormat.dbmap(List.of(all), OutputStyle.HUMAN))
                .endsWith("dbid:0x00000001 name:x path:/p PERSISTENT STICKY READONLY REPLICATED UNHEALTHY\n");
        assertThat(DatabaseFormat.dbmap(List.of(all), new OutputStyle("|", false)))
                .endsWith("|0x00000001|x|/p|1|1|1|1|1|\n");
        assertThat(DatabaseFormat.dbmap(List.of(), OutputStyle.HUMAN)).isEqualTo("Number of databases:0\n");
    }

    @Test
    void machineReadableIsPipeForXAndY() {
        JctdbCommand root = new JctdbCommand(null);
        assertThat(DatabaseCommands.ctdbStyle(root).machine()).isFalse();
        root.separator = ",";
        assertThat(DatabaseCommands.ctdbStyle(root).machine())
                .as("-x alone does not turn it on")
                .isFalse();
        root.separator = null;
        root.colonSeparated = true;
        assertThat(DatabaseCommands.ctdbStyle(root).separator()).isEqualTo("|");
        root.separator = ",";
        assertThat(DatabaseCommands.ctdbStyle(root).separator()).isEqualTo(",");
    }

    @Test
    void getdbstatus() throws IOException {
        assertThat(DatabaseFormat.dbstatus(
                        0xBB5F9D4D,
                        "fmt_persistent.tdb",
                        NODE + "/var/persistent/fmt_persistent.tdb.0",
                        CtdbWire.DB_FLAGS_PERSISTENT,
                        Optional.empty()))
                .isEqualTo(captured("getdbstatus-persistent.txt"));
        assertThat(DatabaseFormat.dbstatus(
                        0xE9A7AD28,
                        "fmt_replicated.tdb",
                        NODE + "/var/volatile/fmt_replicated.tdb.0",
                        CtdbWire.DB_FLAGS_REPLICATED,
                        Optional.empty()))
                .isEqualTo(captured("getdbstatus-replicated.txt"));
        assertThat(DatabaseFormat.dbstatus(1, "x", "/p", 0, Optional.of("corrupt")))
                .endsWith("HEALTH: corrupt\n");
    }

    private static final Bytes K2 = Bytes.ofUtf8("k2");
    private static final Bytes K2_VALUE = Bytes.fromHex("00ff41225c7e7f20");
    private static final LtdbHeader AUTOMATIC = LtdbHeader.of(1, 0, 0x00040000);

    @Test
    void catdbAndCattdb() throws IOException {
        assertThat(DatabaseFormat.record(K2, AUTOMATIC, K2_VALUE) + DatabaseFormat.dumped(1, false))
                .isEqualTo(captured("catdb-volatile.txt"));
        assertThat(DatabaseFormat.record(K2, AUTOMATIC, K2_VALUE)
                        + DatabaseFormat.record(Bytes.ofUtf8("k1"), AUTOMATIC, Bytes.EMPTY)
                        + DatabaseFormat.dumped(2, true))
                .isEqualTo(captured("cattdb-volatile.txt"));
        Bytes seqKey = Bytes.ofUtf8("__db_sequence_number__\0");
        assertThat(DatabaseFormat.record(Bytes.ofUtf8("pk"), LtdbHeader.of(1, 0, 0), Bytes.ofUtf8("pvalue"))
                        + DatabaseFormat.record(seqKey, LtdbHeader.of(1, 0, 0), Bytes.fromHex("0100000000000000"))
                        + DatabaseFormat.dumped(2, false))
                .isEqualTo(captured("catdb-persistent.txt"));
    }

    @Test
    void everyRecordFlagByName() {
        assertThat(DatabaseFormat.ltdbHeader(LtdbHeader.of(-1L, -1, 0x0f070003)))
                .isEqualTo(
                        "dmaster: 4294967295\nrsn: 18446744073709551615\nflags: 0x0f070003 MIGRATED_WITH_DATA VACUUM_MIGRATED"
                                + " AUTOMATIC RO_HAVE_DELEGATIONS RO_HAVE_READONLY RO_REVOKING_READONLY RO_REVOKE_COMPLETE"
                                + " PERSISTENT PERSISTENT_IN_PROGRESS\n");
    }

    @Test
    void readkeyPfetchAndSeqnumPrintAsCsPercentDotStar() throws IOException {
        assertThat(DatabaseFormat.readkey(K2_VALUE)).isEqualTo(captured("readkey-nul.txt"));
        assertThat(DatabaseFormat.readkey(Bytes.EMPTY)).isEqualTo(captured("readkey-missing.txt"));
        assertThat(DatabaseFormat.pfetch(Bytes.ofUtf8("pvalue"))).isEqualTo(captured("pfetch.txt"));
        assertThat(DatabaseFormat.seqnum(1)).isEqualTo(captured("getdbseqnum.txt"));
        assertThat(DatabaseFormat.seqnum(0x1234abcdL)).isEqualTo("0x1234abcd\n");
    }

    @Test
    void keysAndValuesAsCtdbParsesThem() throws Exception {
        assertThat(DatabaseFormat.parseData("plain")).isEqualTo(Bytes.ofUtf8("plain"));
        assertThat(DatabaseFormat.parseData("0x00fFa1")).isEqualTo(Bytes.fromHex("00ffa1"));
        assertThat(DatabaseFormat.parseData("0x")).isEqualTo(Bytes.EMPTY);
        assertThat(DatabaseFormat.parseData("0X12")).isEqualTo(Bytes.ofUtf8("0X12"));
        assertThatThrownBy(() -> DatabaseFormat.parseData("0x123"))
                .hasMessage("Key (123) contains odd number of hex digits");
        assertThatThrownBy(() -> DatabaseFormat.parseData("0x12zz")).hasMessage("Invalid hex: zz");
    }

    @Test
    void ptransLinesAndMessages() throws IOException {
        String input = "\"a\" \"1\"\nbad line\n\"d\"\n\"0x123\" \"x\"\n\"f\n";
        List<String> messages = new ArrayList<>();
        List<OfflineDatabaseCommands.KeyValue> stored = new ArrayList<>();
        for (String line : input.split("\n")) {
            List<String> m = new ArrayList<>();
            OfflineDatabaseCommands.ptransLine(line + "\n", m).ifPresent(stored::add);
            m.forEach(x -> messages.add(x + "\n"));
        }
        assertThat(stored).containsExactly(new OfflineDatabaseCommands.KeyValue(Bytes.ofUtf8("a"), Bytes.ofUtf8("1")));
        assertThat(String.join("", messages)).isEqualTo(captured("ptrans-stderr.txt"));
    }

    @Test
    void ptransQuotesBlanksAndEmptyValues() {
        List<String> m = new ArrayList<>();
        assertThat(OfflineDatabaseCommands.ptransLine("\t \"k\"\t \"\"\n", m))
                .contains(new OfflineDatabaseCommands.KeyValue(Bytes.ofUtf8("k"), Bytes.EMPTY));
        assertThat(OfflineDatabaseCommands.ptransLine("\"\" \"v\"\n", m))
                .as("an empty key is skipped")
                .isEmpty();
        assertThat(OfflineDatabaseCommands.ptransLine("\"0x6b\" \"0x7600\"\n", m))
                .contains(new OfflineDatabaseCommands.KeyValue(Bytes.ofUtf8("k"), Bytes.fromHex("7600")));
        assertThat(m).isEmpty();
    }

    @Test
    void restoreTimeStamp() {
        assertThat(OfflineDatabaseCommands.backupTime(1796580141L, ZoneOffset.UTC))
                .isEqualTo("2026/12/06 18:02:21");
    }
}
