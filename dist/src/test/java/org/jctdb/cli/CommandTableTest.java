package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.config.Installation;
import org.junit.jupiter.api.Test;

/**
 * The commands that run without a daemon are listed in three places that must agree: the Java
 * command (Main.OFFLINE), the C fast client (which hands them back to Java) and the launcher
 * (which picks JVM flags and the lab's class path for them).
 */
class CommandTableTest {
    private final Path home = Installation.current().home();

    @Test
    void launcherFastClientAndJavaCommandAgreeOnOfflineCommands() throws Exception {
        Set<String> java = new TreeSet<>(Main.OFFLINE);

        String c = Files.readString(home.resolve("native/src/jctdb_fast_client.c"));
        Matcher m = Pattern.compile("offline\\[\\]\\s*=\\s*\\{([^}]*)\\}").matcher(c);
        assertThat(m.find()).as("offline[] in the fast client").isTrue();
        Set<String> fast = new TreeSet<>();
        Matcher word = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
        while (word.find()) {
            fast.add(word.group(1));
        }

        String launcher = Files.readString(home.resolve("bin/jctdb"));
        Set<String> shell = new TreeSet<>();
        Matcher arm = Pattern.compile("(?m)^\\s+([a-z][a-z|\\\\?-]*)\\)").matcher(launcher);
        while (arm.find()) {
            Arrays.stream(arm.group(1).split("\\|"))
                    .filter(w -> w.matches("[a-z][a-z-]*"))
                    .forEach(shell::add);
        }

        assertThat(fast).as("fast client vs Main.OFFLINE").isEqualTo(java);
        for (String own : Main.CLIENT_SIDE) {
            assertThat(c).as("the fast client answers %s itself", own).contains("strcmp(cmd, \"" + own + "\") == 0");
        }
        assertThat(shell).as("bin/jctdb vs Main.OFFLINE").isEqualTo(java);
    }
}
