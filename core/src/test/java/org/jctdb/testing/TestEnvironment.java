package org.jctdb.testing;

import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root, FUSE or namespaces: they are skipped with a reason on a
 * developer machine, but fail when CI=true, where a missing capability is a broken setup.
 */
public final class TestEnvironment {
    private TestEnvironment() {}

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, under CI=true, fails) the calling test when {@code missing} holds a reason. */
    public static void require(Optional<String> missing) {
        if (missing.isEmpty()) {
            return;
        }
        if (isCi()) {
            Assertions.fail("CI=true but the environment cannot run this test: " + missing.get());
        }
        Assumptions.abort("skipped: " + missing.get());
    }

    public static void require(boolean available, String reasonIfNot) {
        require(available ? Optional.empty() : Optional.of(reasonIfNot));
    }
}
