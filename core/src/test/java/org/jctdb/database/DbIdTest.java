package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** DbId's written-out equals and hashCode: by value, as a record's generated ones were. */
class DbIdTest {
    @Property(tries = 300)
    void equalByValueWithTheRecordsHashCode(@ForAll int a, @ForAll int b) {
        assertThat(new DbId(a)).isEqualTo(new DbId(a));
        assertThat(new DbId(a).hashCode()).isEqualTo(new DbId(a).hashCode()).isEqualTo(Integer.hashCode(a));
        assertThat(new DbId(a).equals(new DbId(b))).isEqualTo(a == b);
        assertThat(new DbId(a).equals(a)).isFalse();
        assertThat(new DbId(a).equals(null)).isFalse();
    }
}
