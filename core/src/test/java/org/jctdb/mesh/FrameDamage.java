package org.jctdb.mesh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

/** Checks the mesh's property tests share. */
final class FrameDamage {
    private FrameDamage() {}

    /** {@code m}'s frame cut short, and with bytes after its last field, is a bad message. */
    static void cutOrLengthenedIsBad(WireCodec codec, WireMessage m, int cut) {
        byte[] bytes = codec.encode(m);
        byte[] shorter = Arrays.copyOf(bytes, 1 + cut % (bytes.length - 1));
        assertThatThrownBy(() -> codec.decode(shorter)).isInstanceOf(BadMessageException.class);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + cut % 8);
        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(BadMessageException.class)
                .hasMessageContaining("after its last field");
    }
}
