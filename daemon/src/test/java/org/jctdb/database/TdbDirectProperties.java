package org.jctdb.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jctdb.config.Installation;
import org.jctdb.testing.TestEnvironment;

/**
 * The direct binding of the record calls ({@link TdbDirect}) and the interface mapping see the same
 * file: what one stores, locks or deletes the other reads back, for any key and value (empty ones and
 * ones larger than the scratch buffer included).
 */
class TdbDirectProperties {
    private Path dir;
    private TdbFiles viaDirect;
    private TdbFiles viaInterface;
    private TdbFiles viaShim;
    private TdbFile fast;
    private TdbFile slow;
    private TdbFile copied;

    @BeforeProperty
    void open() throws Exception {
        TdbLibrary lib = Libtdb.require();
        Optional<TdbDirect> direct = TdbDirect.available();
        TestEnvironment.require(direct.isPresent(), "no direct libtdb binding on this platform");
        dir = Files.createTempDirectory("tdb-direct");
        Path shim = Installation.current().helper("libjctdb_tdb.so");
        TestEnvironment.require(Files.isRegularFile(shim), shim + " is not built (mvn compile builds it)");
        viaDirect = new TdbFiles(lib, direct.get(), null);
        viaInterface = new TdbFiles(lib, null, null);
        viaShim = new TdbFiles(lib, direct.get(), shim);
        assertThat(viaShim.fetchShim()).as("libjctdb_tdb.so loads").isNotNull();
        // one file per binding: one file may be open only once per process (fcntl locks)
        fast = viaDirect.open(dir.resolve("a.tdb"), 17, 0, 0102, 0600);
        slow = viaInterface.open(dir.resolve("b.tdb"), 17, 0, 0102, 0600);
        copied = viaShim.open(dir.resolve("c.tdb"), 17, 0, 0102, 0600);
    }

    @AfterProperty
    void close() throws IOException {
        fast.close();
        slow.close();
        copied.close();
        try (var s = Files.list(dir)) {
            s.forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.delete(dir);
    }

    @Property(tries = 200)
    void bothBindingsAgree(@ForAll @Size(max = 40) byte[] key, @ForAll @Size(max = 5000) byte[] value)
            throws Exception {
        for (TdbFile f : List.of(fast, slow, copied)) {
            assertThat(f.exists(key)).isFalse();
            assertThat(f.fetch(key)).isEmpty();
            Optional<byte[]> got = f.tryChainLock(key, () -> {
                f.store(key, value);
                return f.fetch(key).orElseThrow();
            });
            assertThat(got).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
            assertThat(f.exists(key)).isTrue();
            assertThat(f.fetch(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
            // the lock taken around the store was released: a second one succeeds
            assertThat(f.tryChainLock(key, () -> Boolean.TRUE)).contains(Boolean.TRUE);
            // a chain marked as lent (a helper holds it for us) is this handle's for the action, unmarked after
            byte[] again = f.underLentChainLock(key, () -> {
                f.store(key, value);
                return f.fetch(key).orElseThrow();
            });
            assertThat(again).isEqualTo(value);
            assertThat(f.tryChainLock(key, () -> Boolean.TRUE)).contains(Boolean.TRUE);
            assertThat(f.delete(key)).isTrue();
            assertThat(f.delete(key)).isFalse();
            assertThat(f.exists(key)).isFalse();
        }
    }
}
