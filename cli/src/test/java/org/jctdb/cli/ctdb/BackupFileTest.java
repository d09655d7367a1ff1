package org.jctdb.cli.ctdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jctdb.protocol.ctdb.Bytes;
import org.jctdb.protocol.ctdb.LtdbHeader;
import org.jctdb.protocol.ctdb.RecData;
import org.junit.jupiter.api.Test;

/**
 * CTDB's backup file: ctdb-4.17-backupdb.bak was written by Debian's `ctdb backupdb p1.tdb FILE`
 * (CTDB 4.17.12) against a one-node jctdbd; `ctdb dumpdbbackup` of it lists pk (empty), ee = x,
 * the sequence number 9, a = 1 and b = 2.
 */
class BackupFileTest {
    private static byte[] ctdbsFile() throws IOException {
        try (InputStream in = BackupFileTest.class.getResourceAsStream("ctdb-4.17-backupdb.bak")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsCtdbsBackupAndWritesItBackByteForByte() throws Exception {
        byte[] file = ctdbsFile();
        BackupFile b = BackupFile.decode(file);
        assertThat(b.name()).isEqualTo("p1.tdb");
        assertThat(b.flags()).isEqualTo(1);
        assertThat(b.timestamp()).isPositive();
        assertThat(b.buffers()).hasSize(1);
        List<RecData> records = b.records();
        assertThat(records)
                .extracting(r -> r.key().toUtf8())
                .containsExactly("pk", "ee", "__db_sequence_number__\0", "a", "b");
        assertThat(records.get(0).value()).isEqualTo(Bytes.EMPTY);
        assertThat(records.get(0).header().rsn()).isEqualTo(4);
        assertThat(records.get(3).value()).isEqualTo(Bytes.ofUtf8("1"));
        assertThat(b.encode()).isEqualTo(file);
    }

    @Test
    void largeBackupsSplitIntoBuffersAsCtdbDoes() throws Exception {
        byte[] value = new byte[30_000];
        List<RecData> records = List.of(
                RecData.withHeader(0, Bytes.ofUtf8("1"), LtdbHeader.of(1, 0, 0), Bytes.of(value)),
                RecData.withHeader(0, Bytes.ofUtf8("2"), LtdbHeader.of(1, 0, 0), Bytes.of(value)),
                RecData.withHeader(0, Bytes.ofUtf8("3"), LtdbHeader.of(1, 0, 0), Bytes.of(value)),
                RecData.withHeader(0, Bytes.ofUtf8("4"), LtdbHeader.of(1, 0, 0), Bytes.of(value)),
                RecData.withHeader(0, Bytes.ofUtf8("5"), LtdbHeader.of(1, 0, 0), Bytes.of(value)));
        BackupFile b = BackupFile.of(1, 1, "x.tdb", 7, records);
        assertThat(b.buffers()).extracting(r -> r.records().size()).containsExactly(4, 1);
        assertThat(BackupFile.decode(b.encode())).isEqualTo(b);
    }

    @Test
    void refusesOtherVersionsWithCtdbsWords() throws Exception {
        byte[] file = ctdbsFile();
        file[0] = 2;
        assertThatThrownBy(() -> BackupFile.decode(file)).hasMessage("Wrong version of backup file, expected 3, got 2");
        assertThatThrownBy(() -> BackupFile.decode(new byte[10])).isInstanceOf(BackupFile.BadBackupException.class);
    }
}
