package org.jctdb.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.os.SessionSpawner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways of starting a script (posix_spawn, and ProcessBuilder through setsid) give the same child. */
class ScriptLauncherTest {
    @TempDir
    Path tmp;

    @Test
    void spawnedScriptLeadsItsSessionInRootWithCtdbsEnvironment() throws Exception {
        assumeTrue(SessionSpawner.get().isPresent());
        check(SessionSpawner.get());
    }

    @Test
    void scriptStartedThroughSetsidLeadsItsSessionInRootWithCtdbsEnvironment() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")));
        check(Optional.empty());
    }

    private void check(Optional<SessionSpawner> spawner) throws Exception {
        Path base = tmp.resolve("etc");
        Path script = Files.createDirectories(base.resolve("events/legacy")).resolve("01.env.script");
        Files.writeString(
                script,
                "#!/bin/sh\ncut -d' ' -f5,6 /proc/$$/stat\npwd\n"
                        + "echo \"$1 $2|$CTDB_BASE|$CTDB|$CTDB_GENERATION|${PATH:+path}\"\necho err >&2\nexit 7\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        EngineConfig cfg = EngineConfig.defaults(base, Path.of("/bin/echo"), tmp.resolve("helper"), tmp.resolve("var"));
        ScriptLauncher launcher = new ScriptLauncher(cfg, spawner);
        launcher.prepareDirs();

        Process p = launcher.startScript(script, "01.env", Event.TAKEIP, List.of("eth0"), 42);

        assertThat(p.onExit().get(10, TimeUnit.SECONDS).exitValue()).isEqualTo(7);
        assertThat(Files.readAllLines(launcher.outputFile("01.env")))
                .containsExactly(p.pid() + " " + p.pid(), "/", "takeip eth0|" + base + "|/bin/echo|42|path", "err");
        assertThat(p.toHandle().pid()).isEqualTo(p.pid());
    }

    @Test
    void eachStartSeesTheGenerationItWasGivenAndTheDebugScriptNone() throws Exception {
        assumeTrue(SessionSpawner.get().isPresent());
        Path base = tmp.resolve("etc");
        Path script = Files.createDirectories(base.resolve("events/legacy")).resolve("01.gen.script");
        Files.writeString(script, "#!/bin/sh\necho \"${CTDB_GENERATION-none}\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        EngineConfig cfg = EngineConfig.defaults(base, Path.of("/bin/echo"), tmp.resolve("helper"), tmp.resolve("var"));
        ScriptLauncher launcher = new ScriptLauncher(cfg, SessionSpawner.get());
        launcher.prepareDirs();
        for (long generation : new long[] {42, 42, 43, -1, 43}) {
            Process p = generation < 0
                    ? launcher.startDebug(script, 1, Event.MONITOR, "01.gen")
                    : launcher.startScript(script, "01.gen", Event.MONITOR, List.of(), generation);
            p.waitFor();
            assertThat(ScriptLauncher.readBounded(launcher.outputFile("01.gen"), 100))
                    .isEqualTo(generation < 0 ? "none" : Long.toString(generation));
        }
    }

    @Test
    void outputIsReadUpToTheLimitWithOneTrailingNewlineStripped() throws Exception {
        Path f = tmp.resolve("out");
        Files.writeString(f, "");
        assertThat(ScriptLauncher.readBounded(f, 8)).isEmpty();
        Files.writeString(f, "abc\n");
        assertThat(ScriptLauncher.readBounded(f, 8)).isEqualTo("abc");
        Files.writeString(f, "abcdefgh");
        assertThat(ScriptLauncher.readBounded(f, 8)).isEqualTo("abcdefgh");
        Files.writeString(f, "abcdefghij\n");
        assertThat(ScriptLauncher.readBounded(f, 8)).isEqualTo("abcdefgh [output truncated at 8 bytes]");
        assertThat(ScriptLauncher.readBounded(tmp.resolve("missing"), 8)).isEmpty();
    }
}
