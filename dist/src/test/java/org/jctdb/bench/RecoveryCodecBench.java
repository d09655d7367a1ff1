package org.jctdb.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jctdb.database.DatabaseKind;
import org.jctdb.database.DbId;
import org.jctdb.database.LtdbHeader;
import org.jctdb.database.migration.LocalRecord;
import org.jctdb.database.migration.RecordKey;
import org.jctdb.database.recovery.DatabaseContent;
import org.jctdb.database.recovery.RecoveryRequest;
import org.jctdb.mesh.WireCodec;
import org.jctdb.mesh.WireMessage;

/**
 * What a recovery's push of one database costs the mesh codec: frame bytes and the median
 * encode and decode time for databases of N records (100-byte values, keys "key-I"). Run with
 * bench/run RecoveryCodecBench [runs] [records...] (default 15 runs of 2000, 8000 and 20000).
 */
public final class RecoveryCodecBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length)
                        .mapToInt(Integer::parseInt)
                        .toArray()
                : new int[] {2000, 8000, 20000};
        WireCodec codec = new WireCodec();
        System.out.println("| records | frame bytes | encode median, ms | decode median, ms |");
        System.out.println("|---:|---:|---:|---:|");
        for (int n : sizes) {
            WireMessage push = push(n);
            double[] enc = new double[runs];
            double[] dec = new double[runs];
            int bytes = 0;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                byte[] b = codec.encode(push);
                long t1 = System.nanoTime();
                WireMessage back = codec.decode(b);
                long t2 = System.nanoTime();
                if (!back.equals(push)) {
                    throw new IllegalStateException("the push did not survive the codec");
                }
                enc[r] = (t1 - t0) / 1e6;
                dec[r] = (t2 - t1) / 1e6;
                bytes = b.length;
            }
            System.out.printf("| %d | %d | %.1f | %.1f |%n", n, bytes, median(enc), median(dec));
        }
    }

    private static WireMessage push(int records) {
        TreeMap<RecordKey, LocalRecord> recs = new TreeMap<>();
        for (int i = 0; i < records; i++) {
            byte[] data = new byte[100];
            data[i % 100] = (byte) i;
            recs.put(RecordKey.of("key-" + i), new LocalRecord(new LtdbHeader(i, i % 3, 0), data));
        }
        DatabaseContent db = new DatabaseContent(DbId.of("bench.tdb"), DatabaseKind.PERSISTENT, recs);
        return new WireMessage.DbRecoveryRequest(new RecoveryRequest.Push(0, 9, List.of(db)), Map.of());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
