package org.jctdb.database.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jctdb.database.JenkinsHash;
import org.junit.jupiter.api.Test;

class VnnMapTest {

    @Test
    void lmasterIsTheMapEntryAtTheUnsignedHashModuloSize() {
        RecordKey key = RecordKey.of("locking key");
        long h = Integer.toUnsignedLong(JenkinsHash.hash(key.bytes()));
        VnnMap map = new VnnMap(7, List.of(4, 2, 9));
        assertThat(map.lmaster(key)).isEqualTo(List.of(4, 2, 9).get((int) (h % 3)));
    }

    @Test
    void negativeSignedHashesStillPickAValidEntry() {
        // find a key whose hash has the top bit set: a signed modulo would be negative
        RecordKey key = null;
        for (int i = 0; key == null; i++) {
            RecordKey k = RecordKey.of("k" + i);
            if (JenkinsHash.hash(k.bytes()) < 0) {
                key = k;
            }
        }
        assertThat(new VnnMap(1, List.of(0, 1, 2)).lmaster(key)).isBetween(0, 2);
    }

    @Property
    void everyNodeOfAGenerationComputesTheSameLmaster(
            @ForAll @Size(max = 40) byte[] key, @ForAll @IntRange(min = 1, max = 8) int size) {
        List<Integer> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(i * 3);
        }
        VnnMap a = new VnnMap(5, nodes);
        VnnMap b = new VnnMap(5, List.copyOf(nodes));
        assertThat(a.lmaster(new RecordKey(key)))
                .isEqualTo(b.lmaster(new RecordKey(key)))
                .isIn(nodes);
    }
}
